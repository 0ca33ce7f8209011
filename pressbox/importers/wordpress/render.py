"""Converting and rendering a batch of posts and comments, beside the import when the
export is big.

Most of an import's work is making HTML: every post's content converted
(`conversion`), then sanitised and measured (`Post.derive_fields`), every comment's
Markdown rendered (`render_comment`). None of it needs the database, so for a big
export it runs in a helper process while the import reads and writes the batch
before: with two processor cores a 10,000-post export imports in well under the time
it takes alone. The helper is a fork of the importing process and runs the models'
own code, so the result is the one saving each row would store. Two things stay in
the importing process: converting content when an uploads folder is given (a file
the content shows may be imported on the way), and rendering a post that shows
images of the media library (making them responsive looks them up).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from pressbox.importers.wordpress.comment_text import comment_markdown
from pressbox.importers.wordpress.content import plain_text
from pressbox.importers.wordpress.parse import Item
from pressbox.lib.markup import render_comment
from pressbox.posts.models import Post
from pressbox.search.index import document_fields

# Exports with fewer items are rendered in the importing process (a helper would
# cost more to start than it saves).
HELPER_FROM_ITEMS = 1000

Convert = Callable[[Item], str]
# How the helper converts content: set in the importing process before it forks.
_convert_in_helper: Convert | None = None


@dataclass(frozen=True)
class Derived:
    """What `Post.derive_fields` stores, and the post's search document."""

    body_html: str
    toc: list[dict[str, Any]]
    summary: str
    word_count: int
    document: dict[str, str]


@dataclass(frozen=True)
class PreparedPost:
    title: str
    body: str  # the converted content
    excerpt: str
    derived: Derived | None  # None: to render in the importing process


@dataclass(frozen=True)
class Rendered:
    posts: list[PreparedPost]
    comments: list[tuple[str, str]]  # (Markdown body, its HTML)


def needs_database(body: str) -> bool:
    """Whether rendering `body` looks up media-library images (see pressbox.media)."""
    return "<img" in body and settings.MEDIA_URL in body


def derive(title: str, body: str, excerpt: str) -> Derived:
    post = Post(title=title, body=body, body_format=Post.Format.HTML, excerpt=excerpt)
    post.derive_fields()
    document = document_fields(title=title, summary=post.summary, body_html=post.body_html)
    return Derived(post.body_html, post.toc, post.summary, post.word_count, document)


def render_comment_text(content: str) -> tuple[str, str]:
    """A WordPress comment's HTML -> (its Markdown body, the body's HTML)."""
    markdown = comment_markdown(content)
    return markdown, render_comment(markdown)


def prepare(
    items: Sequence[Item],
    bodies: Sequence[str] | None,
    comments: Sequence[str],
    convert: Convert | None = None,
) -> Rendered:
    """Posts (their content converted already, as `bodies`, or converted here) and
    comments (as WordPress wrote them), made ready to write."""
    convert = convert or _convert_in_helper
    posts = []
    for index, item in enumerate(items):
        if bodies is not None:
            body = bodies[index]
        else:
            assert convert is not None
            body = convert(item)
        title, excerpt = plain_text(item.title)[:300], plain_text(item.excerpt)
        derived = None if needs_database(body) else derive(title, body, excerpt)
        posts.append(PreparedPost(title, body, excerpt, derived))
    return Rendered(posts, [render_comment_text(content) for content in comments])


class Renderer:
    """Prepares batches here, or in one helper process when `helper` is true; the
    helper converts content too when `convert_in_helper` is (no uploads folder)."""

    def __init__(self, convert: Convert, *, helper: bool, convert_in_helper: bool) -> None:
        global _convert_in_helper
        self.convert = convert
        self.convert_in_helper = convert_in_helper
        self._pool: ProcessPoolExecutor | None = None
        if helper and "fork" in multiprocessing.get_all_start_methods():
            _convert_in_helper = convert if convert_in_helper else None
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_leave_the_database,
            )

    def submit(self, items: Sequence[Item], comments: Sequence[str]) -> Future:
        if self._pool is None:
            done: Future = Future()
            done.set_result(prepare(items, None, comments, self.convert))
            return done
        bodies = None if self.convert_in_helper else [self.convert(item) for item in items]
        light = [dataclasses.replace(item, comments=[]) for item in items]  # sent apart
        return self._pool.submit(prepare, light, bodies, list(comments))

    def close(self) -> None:
        global _convert_in_helper
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        _convert_in_helper = None


def _leave_the_database() -> None:
    """The helper shares its parent's open database connection (a socket or a file);
    it must never use or close it. It does not query, and should anything try, it
    gets a connection of its own."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.connection = None
        connection.in_atomic_block = False
        connection.needs_rollback = False
        connection.savepoint_ids = []
        connection.run_on_commit = []
