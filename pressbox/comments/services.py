"""Comment workflows shared by the public form, the admin, the dashboard and imports.

`comment_submit` stores a visitor's comment with the status moderation gives it and,
once committed, hands it to notifications. `comment_moderate` is the one way a
moderator's decision is applied: it records the status, teaches the spam classifier,
and tells subscribers of a reply that has just become visible. `comment_reply` is a
moderator's answer from the queue; `spam_purge` empties old spam and trash.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from pressbox.accounts.models import User
from pressbox.comments import moderation, notifications
from pressbox.comments.forms import CommentForm
from pressbox.comments.models import Comment
from pressbox.comments.spam import bayes
from pressbox.posts.models import SiteSettings

Status = Comment.Status
DONE_BY: dict[str, str] = {
    Status.APPROVED: "approved",
    Status.SPAM: "marked as spam",
    Status.TRASH: "moved to the trash",
    Status.PENDING: "unapproved",
}


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address as the server saw it (a proxy is trusted only in issue 8)."""
    return request.META.get("REMOTE_ADDR") or None


def comment_submit(*, form: CommentForm, request: HttpRequest) -> Comment:
    """Store a valid comment with the status moderation gives it.

    The comment is committed before the reply is sent, so an accepted comment is
    never lost to a crash after the redirect; emails are queued only after commit.
    """
    data = form.cleaned_data
    user = request.user if request.user.is_authenticated else None
    comment = Comment(
        post=form.post,
        parent=data.get("parent"),
        user=user,
        author_name=data["name"],
        author_email=data["email"].lower(),
        author_url=data.get("url") or "",
        body=data["comment"],
        notify_replies=bool(data.get("notify_replies")),
        created_at=timezone.now(),
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
    )
    decision = moderation.evaluate(comment, form_data=data, site=SiteSettings.load())
    comment.status, comment.status_reason = decision.status, decision.reason
    comment.spam_score = decision.spam_score
    with transaction.atomic():
        comment.save()
        transaction.on_commit(lambda: notifications.comment_posted(comment))
    return comment


def comment_moderate(*, comment: Comment, status: str, by: User | None = None) -> Comment:
    """Apply a moderator's decision: the status, who made it, and what the classifier
    learns (approved: a good comment, spam: spam; pending and trash teach nothing and
    leave what was learnt). Subscribers hear of a comment that has just become
    visible, once the change is committed.
    """
    status = Status(status)
    who = by.get_username() if by is not None else "a moderator"
    with transaction.atomic():
        # Re-read under a lock: two moderators acting at once see each other's change.
        current = Comment.objects.select_for_update().only("status", "meta").get(pk=comment.pk)
        comment.status = status
        comment.status_reason = f"{DONE_BY[status]} by {who}"
        comment.meta = {**current.meta, "moderated_at": int(timezone.now().timestamp())}
        comment.save(update_fields=["status", "status_reason", "meta"])
        if status in bayes.LABEL_OF_STATUS:
            bayes.train(comment, as_spam=status == Status.SPAM)
        if status == Status.APPROVED and current.status != Status.APPROVED:
            transaction.on_commit(lambda: notifications.comment_approved(comment))
    return comment


def comment_reply(*, parent: Comment, body: str, by: User) -> Comment:
    """A moderator's reply, published at once under their name.

    Replying to a held comment approves it first, as WordPress's "Approve and Reply"
    does, so the reply never hangs under an invisible comment. Spam and trash must be
    restored before they can be answered.
    """
    body = body.strip()
    if not body:
        raise ValueError("Please write a reply.")
    if parent.status not in (Status.PENDING, Status.APPROVED):
        raise ValueError("Restore this comment before replying to it.")
    profile = getattr(by, "profile", None)
    with transaction.atomic():
        if parent.status == Status.PENDING:
            comment_moderate(comment=parent, status=Status.APPROVED, by=by)
        reply = Comment(
            post=parent.post,
            parent=parent,
            user=by,
            author_name=by.display_name,
            author_email=by.email,
            author_url=profile.website if profile else "",
            body=body,
            status=Status.APPROVED,
            status_reason=f"replied by {by.get_username()} from the moderation queue",
            created_at=timezone.now(),
        )
        reply.save()
        transaction.on_commit(lambda: notifications.comment_posted(reply))
    return reply


def spam_purge(*, older_than_days: int = 30) -> int:
    """Delete spam and trashed comments that have been so for `older_than_days`; return
    how many were deleted.

    The age counts from the moderator's decision when there was one, else from the
    comment's date (spam caught on arrival). A comment with a reply that is kept is
    kept too, so purging never takes a visible reply with it; what the classifier
    learnt from purged comments stays learnt.
    """
    cutoff = timezone.now() - timedelta(days=older_than_days)
    stale = Q(status__in=[Status.SPAM, Status.TRASH]) & (
        Q(meta__moderated_at__lt=int(cutoff.timestamp()))
        | (~Q(meta__has_key="moderated_at") & Q(created_at__lt=cutoff))
    )
    deleted = 0
    while True:  # leaves first, so a thread of spam goes one level per pass
        _, counts = Comment.objects.filter(stale, replies__isnull=True).delete()
        if not counts.get(Comment._meta.label, 0):
            return deleted
        deleted += counts[Comment._meta.label]
