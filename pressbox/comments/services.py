from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from pressbox.comments.forms import CommentForm
from pressbox.comments.models import Comment
from pressbox.comments.moderation import decide_status
from pressbox.posts.models import SiteSettings


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address as the server saw it (a proxy is trusted only in issue 8)."""
    return request.META.get("REMOTE_ADDR") or None


def comment_submit(*, form: CommentForm, request: HttpRequest) -> Comment:
    """Store a valid comment with the status the moderation policy gives it.

    The comment is committed before the reply is sent, so an accepted comment is
    never lost to a crash after the redirect.
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
        created_at=timezone.now(),
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
    )
    policy = SiteSettings.load().comment_moderation
    comment.status, comment.status_reason = decide_status(comment, policy=policy)
    with transaction.atomic():
        comment.save()
    return comment
