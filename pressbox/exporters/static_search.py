"""The search index of a static export: `search/index.json`, read by the page's script
(static/pressbox/static-search.js) to search the copy of the site in the browser."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from functools import cache
from typing import TYPE_CHECKING

from django.utils import timezone

from pressbox.lib.markup import html_to_text
from pressbox.posts.models import Post, SiteSettings

if TYPE_CHECKING:
    from pressbox.exporters.static import StaticOptions

MAX_TOKENS = 400  # distinct words kept per post in the search index
WORD = re.compile(r"\w+")
STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        """a an and are as at be but by for from has have he her his i if in into is it its
        me my not of on or our she so than that the their them then there these they this to
        us was we were what when which who will with you your""",
    )
)


def search_index(options: StaticOptions) -> bytes:
    """Every published post as {t: title, u: url, d: date, s: summary, k: words}, newest
    first; `k` holds the post's distinct words (title, summary, body, categories and
    tags), folded to lower case without accents, most frequent first."""
    structure = SiteSettings.load().permalink_structure
    stem = options.prefix.rstrip("/")
    entries = []
    posts = (
        Post.objects.published()
        .only("pk", "title", "slug", "summary", "body_html", "published_at", "created_at")
        .prefetch_related("categories", "tags")
        .order_by("-published_at", "-pk")
    )
    for post in posts.iterator(chunk_size=500):
        terms = " ".join(t.name for t in [*post.categories.all(), *post.tags.all()])
        published = timezone.localtime(post.published_at or post.created_at)
        entries.append(
            {
                "t": post.title,
                "u": stem + post.permalink(structure),
                "d": published.date().isoformat(),
                "s": post.summary,
                "k": " ".join(
                    tokens(
                        post.title, post.title, terms, post.summary, html_to_text(post.body_html)
                    )
                ),
            }
        )
    return json.dumps({"posts": entries}, ensure_ascii=False, separators=(",", ":")).encode()


def fold(text: str) -> str:
    """Lower case without accents, as the search script folds what the reader types."""
    if text.isascii():  # nothing to decompose
        return text.lower()
    return _accents().sub("", unicodedata.normalize("NFKD", text.casefold()))


@cache
def _accents() -> re.Pattern[str]:
    """Every character with a combining class: what NFKD splits off a letter."""
    marks = "".join(chr(n) for n in range(sys.maxunicode + 1) if unicodedata.combining(chr(n)))
    return re.compile(f"[{re.escape(marks)}]")


def tokens(*texts: str) -> list[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(WORD.findall(fold(text)))
    for word in [word for word in counts if len(word) < 2 or word in STOPWORDS]:
        del counts[word]
    return [word for word, _count in counts.most_common(MAX_TOKENS)]
