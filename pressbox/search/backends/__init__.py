"""The search backends, one per database vendor, chosen by the connection in use.

Each module offers `search(query, *, offset, limit, now)` returning `Results`, and
`optimize(connection)` run after a rebuild. Both read `search_document` and decide
visibility as `Post.objects.published()` does: live status and `published_at <= now`.

Both rank within a bounded set of candidates, so that a word found in every post
costs no more than a rare one: the newest `WINDOW` posts that match (by id, that is
by when they were written), ranked by relevance. A blog with fewer matches than that,
which is nearly every search on nearly every blog, gets them all ranked exactly;
past it, the page says "more than 1,000" and pages through the best of the newest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from pressbox.search.query import Query

WINDOW = 1000
# The markers a backend puts around matched words; the index never holds them.
START, STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")


@dataclass(frozen=True)
class Hit:
    post_id: int
    rank: float  # higher is better, comparable within one search only
    snippet: SafeString  # escaped text around the matches, each in <mark>


@dataclass(frozen=True)
class Results:
    total: int  # posts matched: all of them, or those among the WINDOW newest matches
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # more than WINDOW posts matched


class Backend(Protocol):
    def search(self, query: Query, *, offset: int, limit: int, now: datetime) -> Results: ...

    def optimize(self, connection: BaseDatabaseWrapper) -> None: ...


def current() -> Backend:
    """The backend module for the default database."""
    module: ModuleType
    if connection.vendor == "sqlite":
        from pressbox.search.backends import sqlite as module
    elif connection.vendor == "postgresql":
        from pressbox.search.backends import postgres as module
    else:
        raise ImproperlyConfigured(f"No search backend for {connection.vendor}.")
    return module  # type: ignore[return-value]


def highlight(raw: str) -> SafeString:
    """Escape a snippet's text, then turn the backend's markers into <mark> elements."""
    marked = _MARKED.sub(r"<mark>\1</mark>", str(escape(raw)))
    return mark_safe(marked.replace(START, "").replace(STOP, ""))  # noqa: S308
