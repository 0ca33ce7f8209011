"""Keeping the search index current: one `Document` per live post, written on save.

A post saved as published or scheduled gets its document written (an upsert, in the
same transaction as the save); any other status removes it; deleting a post deletes
it by cascade. The database's own index follows the documents at once (FTS5 triggers
on SQLite, a generated column on PostgreSQL), so a post is found, or no longer found,
as soon as its save commits. Whether a scheduled post is visible yet is decided when
searching, as `Post.objects.published()` decides it.

Writes that skip `save()` (`QuerySet.update()`, raw SQL, a database restore) send no
signal: `pressbox rebuild_search_index` (`rebuild()`) writes every document again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from pressbox.lib.markup import html_to_text
from pressbox.posts.models import Post
from pressbox.search import backends
from pressbox.search.models import Document

# Fields of Post that change what is indexed (a save naming none of them is skipped).
INDEXED_FIELDS = {"title", "excerpt", "summary", "body", "body_html", "status", "published_at"}
# Longer bodies are indexed up to here (PostgreSQL's tsvector has a 1 MB ceiling).
MAX_BODY_CHARACTERS = 200_000
# Control characters and the private-use markers snippets are built with never reach
# the index, so no post text can pose as a highlight.
_UNINDEXED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000-\uf8ff]")

Progress = Callable[[int, int], None]


def document_fields(*, title: str, summary: str, body_html: str) -> dict[str, str]:
    """A post's searchable text: its title, summary and the visible text of its body."""
    return {
        "title": _UNINDEXED.sub("", title),
        "summary": _UNINDEXED.sub("", summary),
        "body": _UNINDEXED.sub("", html_to_text(body_html))[:MAX_BODY_CHARACTERS],
    }


def index_post(post: Post) -> None:
    """Write `post`'s document, or remove it when the post is not live."""
    if post.status not in Post.LIVE:
        Document.objects.filter(post_id=post.pk).delete()
        return
    fields = document_fields(title=post.title, summary=post.summary, body_html=post.body_html)
    Document.objects.bulk_create(
        [Document(post_id=post.pk, **fields)],
        update_conflicts=True,
        unique_fields=["post"],
        update_fields=list(fields),
    )


def post_saved(
    sender: type[Post],
    instance: Post,
    created: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    if update_fields is not None and not INDEXED_FIELDS & set(update_fields):
        return
    if created and instance.status not in Post.LIVE:
        return  # a new draft: nothing indexed to remove
    index_post(instance)


def rebuild(*, progress: Progress | None = None, batch_size: int = 500) -> int:
    """Write every live post's document again; returns how many posts are indexed."""
    live = Post.objects.filter(status__in=Post.LIVE)
    total = live.count()
    done, last = 0, 0
    with transaction.atomic():
        Document.objects.all().delete()
        while True:
            rows = list(
                live.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", "title", "summary", "body_html")[:batch_size]
            )
            if not rows:
                break
            Document.objects.bulk_create(
                [
                    Document(post_id=pk, **document_fields(title=t, summary=s, body_html=b))
                    for pk, t, s, b in rows
                ],
                # A post published meanwhile may have written its own document already.
                update_conflicts=True,
                unique_fields=["post"],
                update_fields=["title", "summary", "body"],
            )
            done, last = done + len(rows), rows[-1][0]
            if progress is not None:
                progress(done, max(total, done))
        backends.current().optimize(connection)
    return done


def connect() -> None:
    from django.db.models.signals import post_save

    post_save.connect(post_saved, sender=Post, dispatch_uid="pressbox.search.post-saved")
