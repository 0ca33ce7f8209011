"""Moderation policy: what status a new comment gets, and why.

The owner picks a policy in the site settings: hold every comment, hold first-time
commenters (the default, as WordPress does), or publish everything. Issue 3 adds the
spam checks that run before the policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pressbox.comments.models import Comment
from pressbox.posts.models import SiteSettings


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str
    spam_score: float | None = None


def evaluate(comment: Comment, *, form_data: dict[str, Any], site: SiteSettings) -> Decision:
    """The status a new comment gets: spam checks first, then the owner's policy."""
    status, reason = decide_status(comment, policy=site.comment_moderation)
    return Decision(status, reason)


def decide_status(comment: Comment, *, policy: str) -> tuple[str, str]:
    """(status, reason) for a comment about to be saved."""
    Moderation = SiteSettings.Moderation
    if comment.user_id and comment.post.post_authors.filter(author_id=comment.user_id).exists():
        return Comment.Status.APPROVED, "written by an author of the post"
    if policy == Moderation.PUBLISH_ALL:
        return Comment.Status.APPROVED, "the site publishes every comment"
    if policy == Moderation.HOLD_ALL:
        return Comment.Status.PENDING, "the site holds every comment"
    known = Comment.objects.approved().filter(author_email__iexact=comment.author_email).exists()
    if known:
        return Comment.Status.APPROVED, "the commenter has an approved comment"
    return Comment.Status.PENDING, "first comment from this address"
