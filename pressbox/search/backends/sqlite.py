"""SQLite FTS5: `search_document_fts` (porter stemming over unicode61 tokens), ranked
by bm25 with the title weighted 10, the summary 4 and the body 1, snippets by FTS5's
snippet().

FTS5 hands back matches by rowid (the post's id), newest first, at almost no cost;
bm25 costs microseconds per match. So the window's lower bound is the id of the
(WINDOW + 1)-th newest match, bm25 runs only above it, and one more query makes the
snippets of the page's hits alone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from pressbox.posts.models import Post
from pressbox.search import backends
from pressbox.search.backends import START, STOP, Hit, Results, highlight
from pressbox.search.query import Query, Term

WEIGHTS = "10.0, 4.0, 1.0"  # title, summary, body
SNIPPET_TOKENS = 32

# The page of hits, best first, with how many candidates were visible. Candidates are
# the matches from the (WINDOW + 1)-th newest on (all of them when fewer match); one
# more than WINDOW, so that `more` can be told. Visible as Post.objects.published()
# defines it, checked on the post row itself.
RANKED = f"""
    SELECT id, score, count(*) OVER () FROM (
        SELECT fts.rowid AS id, bm25(search_document_fts, {WEIGHTS}) AS score
        FROM search_document_fts AS fts
        JOIN posts_post AS post ON post.id = fts.rowid
        WHERE search_document_fts MATCH %s
          AND fts.rowid >= coalesce((
              SELECT rowid FROM search_document_fts WHERE search_document_fts MATCH %s
              ORDER BY rowid DESC LIMIT 1 OFFSET %s), 0)
          AND post.status IN (%s, %s) AND post.published_at <= %s
    )
    ORDER BY score, id DESC
    LIMIT %s OFFSET %s
"""  # noqa: S608 (constants composed; every value is a parameter)
# snippet() for the page's hits only; `+rowid` keeps their ids a filter, so FTS5 reads
# one range of its index instead of seeking once per id.
SNIPPETS = f"""
    SELECT rowid, snippet(search_document_fts, 2, '{START}', '{STOP}', '…', {SNIPPET_TOKENS})
    FROM search_document_fts
    WHERE search_document_fts MATCH %s AND rowid BETWEEN %s AND %s AND +rowid IN ({{ids}})
"""  # noqa: S608


def match_expression(query: Query) -> str:
    """An FTS5 query: every term a quoted string (words are letters and digits only)."""
    return " ".join(_quoted(term) for term in query.terms)


def _quoted(term: Term) -> str:
    phrase = " ".join(term.words).replace('"', '""')
    return f'"{phrase}"' + (" *" if term.prefix else "")


def search(query: Query, *, offset: int, limit: int, now: datetime) -> Results:
    match, window = match_expression(query), backends.WINDOW
    visible: list[Any] = [
        *(status.value for status in Post.LIVE),
        connection.ops.adapt_datetimefield_value(now),
    ]
    with connection.cursor() as cursor:
        cursor.execute(RANKED, [match, match, window, *visible, limit, offset])
        ranked = cursor.fetchall()
        if not ranked:
            return Results(total=0)
        ids = [row[0] for row in ranked]
        cursor.execute(
            SNIPPETS.format(ids=", ".join(["%s"] * len(ids))),
            [match, min(ids), max(ids), *ids],
        )
        snippets = dict(cursor.fetchall())
    total = min(ranked[0][2], window)  # the extra candidate only tells that there are more
    # bm25 is lower for better matches; Hit.rank is higher for better ones.
    hits = [
        Hit(post_id=pk, rank=-score, snippet=highlight(snippets.get(pk, "")))
        for pk, score, _ in ranked[: max(total - offset, 0)]
    ]
    return Results(total=total, hits=hits, more=ranked[0][2] > window)


def optimize(connection: BaseDatabaseWrapper) -> None:
    """Merge the index into one segment (after a rebuild), for the fastest reads."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_document_fts(search_document_fts) VALUES ('optimize')")
