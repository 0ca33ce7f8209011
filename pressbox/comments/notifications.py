"""Who is told of a comment, by email through the durable task queue.

Filled in by issue 3's notifications work: co-authors of the post on a new comment,
confirmed subscribers on a visible reply.
"""

from __future__ import annotations

from pressbox.comments.models import Comment


def comment_posted(comment: Comment) -> None:
    """A comment was just stored (any status)."""


def comment_approved(comment: Comment) -> None:
    """A held comment was just approved by a moderator, so it is now visible."""
