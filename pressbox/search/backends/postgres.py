"""PostgreSQL full text: the generated `search_document.vector` column ('english'
configuration, weights A title, B summary, C body) behind a GIN index, ranked by
ts_rank; ts_headline builds the snippets, for the page's hits only.

The window of newest matches comes from the GIN index alone. Each vector also holds
"bucket" lexemes naming the post's id range at four sizes (`~10.97` is ids 99,328 to
100,351, `~12.24` the 4,096 ids around them, and so on; no typed word can produce
them). Candidates are collected tier by tier from the newest id down, each tier twice
as long as the one before and one GIN condition (`query & ('~10.97' | '~10.96')`),
until WINDOW are found; only those rows are read and ranked.

A prefix (`deadl*`) is expanded to the words the posts actually hold, from the
`search_lexeme` vocabulary that triggers keep, so that it is a few exact index
entries rather than a scan of every lexeme starting so.
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

LEVELS = (10, 12, 14, 16)  # bucket sizes, 2**n ids; the migration writes the same
# A prefix matching more words than this is left to the index's own prefix search.
MAX_EXPANSION = 32
# Rank normalisation 1: divided by 1 + log(length), so long posts do not win on bulk.
NORMALIZATION = 1
# ts_headline drops what looks like an HTML tag; a post's text may hold "<script>" as
# words, so "<" stands in as SMALL LESS-THAN SIGN while the headline is made.
LESS_THAN = "\ufe64"
HEADLINE = (
    f'StartSel="{START}", StopSel="{STOP}", MaxWords=40, MinWords=20, ShortWord=2, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)

NEWEST = "SELECT (SELECT coalesce(max(post_id), 0) FROM search_document)"
# The vocabulary's words that start as the (stemmed) prefix does, one array per prefix.
EXPANSION = """(SELECT array(
        SELECT lexeme FROM search_lexeme
        WHERE lexeme >= prefix.stem AND lexeme < prefix.stem || chr(1114111)
        ORDER BY lexeme LIMIT %s)
    FROM (SELECT coalesce((ts_lexize('english_stem', %s))[1], %s) AS stem) AS prefix)"""
# One tier: the query's matches among some buckets, newest first. (An empty query, all
# stop words, would match the buckets alone: numnode() keeps it from matching at all.)
TIER = """(SELECT post_id FROM search_document, q
    WHERE vector @@ (q.q && %s::tsquery) AND numnode(q.q) > 0
    ORDER BY post_id DESC LIMIT %s)"""
# Visible as Post.objects.published() defines it, checked on the post row itself.
RANKED = f"""
    WITH q AS MATERIALIZED (SELECT {{query}} AS q),
    candidates AS (
        SELECT tiers.*, row_number() OVER () AS n FROM ({{tiers}}) AS tiers LIMIT %s
    ),
    ranked AS (
        SELECT c.post_id, post.published_at, ts_rank(doc.vector, q.q, {NORMALIZATION}) AS rank
        FROM candidates AS c, q, posts_post AS post, search_document AS doc
        WHERE post.id = c.post_id AND doc.post_id = c.post_id AND c.n <= %s
          AND post.status IN (%s, %s) AND post.published_at <= %s
    ),
    page AS (
        SELECT ranked.*, count(*) OVER () AS total
        FROM ranked
        ORDER BY rank DESC, published_at DESC, post_id DESC
        LIMIT %s OFFSET %s
    )
    SELECT page.post_id, page.rank, page.total, (SELECT count(*) FROM candidates),
           ts_headline('english', replace(doc.body, '<', %s), q.q, %s)
    FROM page, q, search_document AS doc
    WHERE doc.post_id = page.post_id
    ORDER BY page.rank DESC, page.published_at DESC, page.post_id DESC
"""  # noqa: S608 (constants composed; every value is a parameter)


def tsquery(query: Query) -> str:
    """to_tsquery text: quoted words (letters and digits only, so nothing to escape),
    `<->` between a phrase's words, `:*` for a prefix, `&` between terms."""
    return " & ".join(_operand(term) for term in query.terms)


def _operand(term: Term) -> str:
    """A chunk typed as one goes to PostgreSQL's parser whole, quoted, so that it
    becomes what the same text became in the posts (`5.5`, `squat/deadlift`)."""
    if term.joined:
        return _lexeme(term.joined)
    return _phrase(term.words, term.prefix)


def _phrase(words: tuple[str, ...], prefix: bool = False) -> str:
    quoted = [f"'{word}'" for word in words]
    if prefix:
        quoted[-1] += ":*"
    return "(" + " <-> ".join(quoted) + ")"


def _query_expression(query: Query, expansions: list[list[str]]) -> tuple[str, list[Any]]:
    """The SQL for the query's tsquery: to_tsquery for typed words, and for an expanded
    prefix the vocabulary's own lexemes, cast as they are (they are normalised already)."""
    parts: list[str] = []
    params: list[Any] = []
    found = iter(expansions)
    for term in query.terms:
        words = next(found) if term.prefix else []
        if not term.prefix or len(words) > MAX_EXPANSION:
            parts.append("to_tsquery('english', %s)")
            params.append(_operand(term))
            continue
        alternatives = "(" + " | ".join(_lexeme(word) for word in words) + ")"
        if len(term.words) == 1:
            parts.append("%s::tsquery")
            params.append(alternatives)
        else:
            parts.append("(to_tsquery('english', %s) <-> %s::tsquery)")
            params += [_phrase(term.words[:-1]), alternatives]
    return " && ".join(parts), params


def _lexeme(word: str) -> str:
    """Text quoted as one tsquery operand (a lexeme, or a chunk for the parser)."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _tiers(newest: int, window: int) -> tuple[str, list[Any]]:
    """The tiers from the newest id down, each a UNION ALL branch stopping at window + 1."""
    parts: list[str] = []
    params: list[Any] = []
    top = newest >> LEVELS[0]
    high, span = top, 1
    while high >= 0:
        low = max(high - span + 1, 0)
        parts.append(TIER)
        params += [" | ".join(f"'{b}'" for b in _buckets(low, high)), window + 1]
        high, span = low - 1, span if high == top else span * 2
    return " UNION ALL ".join(parts), params


def _buckets(low: int, high: int) -> list[str]:
    """The fewest bucket lexemes that cover blocks low..high of the smallest size."""
    out: list[str] = []
    block = low
    while block <= high:
        level = LEVELS[0]
        for bigger in LEVELS[1:]:
            step = 1 << (bigger - LEVELS[0])
            if block % step or block + step - 1 > high:
                break
            level = bigger
        out.append(f"~{level}.{block >> (level - LEVELS[0])}")
        block += 1 << (level - LEVELS[0])
    return out


def search(query: Query, *, offset: int, limit: int, now: datetime) -> Results:
    window = backends.WINDOW
    prefixes = [term.words[-1] for term in query.terms if term.prefix]
    with connection.cursor() as cursor:
        sql = NEWEST
        params: list[Any] = []
        for word in prefixes:
            sql += f", {EXPANSION}"
            params += [MAX_EXPANSION + 1, word, word]
        cursor.execute(sql, params)
        newest, *expansions = cursor.fetchone()
        if any(not words for words in expansions):
            return Results(total=0)  # a prefix that starts no word in any post
        expression, query_params = _query_expression(query, expansions)
        tiers, tier_params = _tiers(newest, window)
        visible: list[Any] = [*(status.value for status in Post.LIVE), now]
        cursor.execute(
            RANKED.format(query=expression, tiers=tiers),
            [*query_params, *tier_params, window + 1, window, *visible, limit, offset]
            + [LESS_THAN, HEADLINE],
        )
        rows = cursor.fetchall()
    if not rows:
        return Results(total=0)
    hits = [
        Hit(post_id=row[0], rank=row[1], snippet=highlight(row[4].replace(LESS_THAN, "<")))
        for row in rows
    ]
    return Results(total=rows[0][2], hits=hits, more=rows[0][3] > window)


def optimize(connection: BaseDatabaseWrapper) -> None:
    """After a rebuild: the vocabulary holds only words still in some post, and the
    planner has fresh statistics."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_lexeme")
        cursor.execute(
            "INSERT INTO search_lexeme (lexeme)"
            " SELECT DISTINCT word FROM search_document, unnest(tsvector_to_array(vector)) word"
            " WHERE left(word, 1) <> '~'"
        )
        cursor.execute("ANALYZE search_document")
        cursor.execute("ANALYZE search_lexeme")
