"""Comment workflows shared by the public form, the admin, the dashboard and imports.

`comment_submit` stores a visitor's comment with the status moderation gives it and,
once committed, hands it to notifications. `comment_moderate` is the one way a
moderator's decision is applied: it records the status, teaches the spam classifier,
and tells subscribers of a reply that has just become visible.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from pressbox.comments import moderation, notifications
from pressbox.comments.forms import CommentForm
from pressbox.comments.models import Comment
from pressbox.posts.models import SiteSettings


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
