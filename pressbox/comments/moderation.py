"""Moderation: what status a new comment gets, and why.

First the spam checks of `PRESSBOX_SPAM_CHECKS` run in order (`pressbox.comments.spam`):
a spam verdict wins over a hold, and every check's reason is kept so the queue shows
all of them. If no check decided, the owner's policy does: hold every comment, hold
first-time commenters (the default, as WordPress does), or publish everything. A
co-author of the post skips both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pressbox.comments import spam
from pressbox.comments.models import Comment
from pressbox.posts.models import SiteSettings

REASON_LENGTH = Comment._meta.get_field("status_reason").max_length or 200


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str
    spam_score: float | None = None


def evaluate(comment: Comment, *, form_data: dict[str, Any], site: SiteSettings) -> Decision:
    """The status a new comment gets: spam checks first, then the owner's policy."""
    if is_post_author(comment):
        return Decision(Comment.Status.APPROVED, "written by an author of the post")
    verdicts = list(spam.run_checks(comment, form_data=form_data, site=site))
    score = next((v.score for v in verdicts if v.score is not None), None)
    notes = [v.reason for v in verdicts if v.reason]
    for decisive in (Comment.Status.SPAM, Comment.Status.PENDING):
        if any(v.status == decisive for v in verdicts):
            return Decision(decisive, joined(notes), score)
    status, reason = decide_status(comment, policy=site.comment_moderation)
    return Decision(status, joined([reason, *notes]), score)


def joined(reasons: list[str]) -> str:
    """The reasons as one line that fits `Comment.status_reason`."""
    text = "; ".join(reasons)
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


def is_post_author(comment: Comment) -> bool:
    return bool(comment.user_id) and (
        comment.post.post_authors.filter(author_id=comment.user_id).exists()
    )


def decide_status(comment: Comment, *, policy: str) -> tuple[str, str]:
    """(status, reason) for a comment about to be saved."""
    Moderation = SiteSettings.Moderation
    if is_post_author(comment):
        return Comment.Status.APPROVED, "written by an author of the post"
    if policy == Moderation.PUBLISH_ALL:
        return Comment.Status.APPROVED, "the site publishes every comment"
    if policy == Moderation.HOLD_ALL:
        return Comment.Status.PENDING, "the site holds every comment"
    known = Comment.objects.approved().filter(author_email__iexact=comment.author_email).exists()
    if known:
        return Comment.Status.APPROVED, "the commenter has an approved comment"
    return Comment.Status.PENDING, "first comment from this address"
