"""The search index's rows: one per live post, its text as a reader sees it."""

from __future__ import annotations

from django.db import models

from pressbox.posts.models import Post


class Document(models.Model):
    """A published or scheduled post's searchable text (plain text, no HTML or Markdown).

    Drafts, pending and private posts have no row. pressbox.search.index writes these
    rows when a post is saved; the database keeps the full-text index over them:
    an FTS5 table fed by triggers on SQLite, a generated, GIN-indexed `vector` column
    on PostgreSQL (both created by this app's first migration, so Django's model does
    not list them).
    """

    post = models.OneToOneField(
        Post, primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.title
