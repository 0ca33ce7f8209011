"""Search: full-text search over published posts, behind one interface.

`search(text, offset=, limit=)` parses what a reader typed (`query.parse`: words,
"phrases" and `prefix*`, nothing else) and asks the backend of the database in use:
SQLite FTS5 (`backends/sqlite.py`) or PostgreSQL full text (`backends/postgres.py`).
Both rank by relevance with the title above the summary above the body, stem English
words, and return a highlighted snippet for each hit of the page asked for.

The index is one `Document` row per live post (`models.py`), kept current on every
save by `index.py`; `pressbox rebuild_search_index` writes it all again. To add a
backend for another database, add a module to `backends/` with the same two
functions and a migration creating its index. docs/search.md is the reader's and
the owner's guide.
"""

from __future__ import annotations

from django.utils import timezone

from pressbox.search import backends
from pressbox.search.backends import WINDOW, Hit, Results
from pressbox.search.query import Query, parse

__all__ = ["WINDOW", "Hit", "Query", "Results", "parse", "search"]


def search(text: str | Query, *, offset: int = 0, limit: int = 10) -> Results:
    """Published posts matching `text`, best first: `limit` hits from `offset`, and how
    many matched (past WINDOW matches, those among the newest WINDOW, with `more` set).
    Any text is safe to pass."""
    query = text if isinstance(text, Query) else parse(text)
    if not query.terms or limit <= 0:
        return Results(total=0)
    return backends.current().search(query, offset=max(offset, 0), limit=limit, now=timezone.now())
