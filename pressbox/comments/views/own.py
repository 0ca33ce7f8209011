"""A commenter's own comment: edit or delete it for ten minutes after posting.

Posting a comment sets a signed, HttpOnly cookie naming it, and a readable cookie with
just the ids, from which theme.js adds "Edit" and "Delete" beside those comments on the
cached page. Only the signed cookie grants anything, and only until ten minutes after
the comment's `created_at`. These pages differ per visitor and are never cached, so
they carry Django's ordinary CSRF token.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from pressbox.comments.forms import CommentEditForm
from pressbox.comments.models import Comment
from pressbox.comments.pages import comment_pages, commenter_url, page_url
from pressbox.lib.http import HttpResponseSeeOther
from pressbox.posts.models import SiteSettings

OWN_COOKIE = "pressbox_own"
OWN_IDS_COOKIE = "pressbox_own_ids"
SALT = "pressbox.own-comments"
EDIT_SECONDS = 600
REMEMBERED = 20  # comments at most in the cookie

NOT_YOURS = (
    "Only the person who wrote a comment can change it, from the browser they posted it "
    "with, for 10 minutes after posting."
)
TOO_LATE = "Comments can be changed for 10 minutes after posting, and that time has passed."
GONE = "This comment can no longer be changed: it has been deleted, or it is being reviewed."


class Refused(Exception):
    """The visitor may not change this comment; the message says why."""


def owned_comments(request: HttpRequest) -> dict[int, int]:
    """{comment id: posted at (Unix time)} from the signed cookie."""
    raw = request.get_signed_cookie(OWN_COOKIE, default="", salt=SALT, max_age=EDIT_SECONDS)
    owned = {}
    for part in (raw or "").split("_"):
        pk, _, posted = part.partition(".")
        if pk.isdigit() and posted.isdigit() and len(pk) < 19:
            owned[int(pk)] = int(posted)
    return owned


def set_own_cookies(response: HttpResponse, owned: dict[int, int]) -> None:
    now = time.time()
    recent = sorted((t, pk) for pk, t in owned.items() if now - t < EDIT_SECONDS)[-REMEMBERED:]
    if not recent:
        response.delete_cookie(OWN_COOKIE, samesite="Lax")
        response.delete_cookie(OWN_IDS_COOKIE, samesite="Lax")
        return
    secure = settings.SITE_URL.startswith("https://")
    signed = "_".join(f"{pk}.{t}" for t, pk in recent)
    response.set_signed_cookie(
        OWN_COOKIE, signed, salt=SALT, max_age=EDIT_SECONDS,
        httponly=True, samesite="Lax", secure=secure,
    )  # fmt: skip
    ids = "_".join(str(pk) for _, pk in recent)
    response.set_cookie(OWN_IDS_COOKIE, ids, max_age=EDIT_SECONDS, samesite="Lax", secure=secure)


def remember_own_comment(request: HttpRequest, response: HttpResponse, comment: Comment) -> None:
    """After posting: add the comment to the visitor's cookies for ten minutes."""
    owned = owned_comments(request)
    owned[comment.pk] = int(comment.created_at.timestamp())
    set_own_cookies(response, owned)


def own_comment(request: HttpRequest, pk: int) -> Comment:
    """The comment, if the signed cookie names it and it was posted under ten minutes ago."""
    if pk not in owned_comments(request):
        raise Refused(NOT_YOURS)
    statuses = [Comment.Status.APPROVED, Comment.Status.PENDING]
    comment = Comment.objects.select_related("post").filter(pk=pk, status__in=statuses).first()
    if comment is None:
        raise Refused(GONE)
    if timezone.now() - comment.created_at > timedelta(seconds=EDIT_SECONDS):
        raise Refused(TOO_LATE)
    return comment


def refused(request: HttpRequest, reason: Refused) -> HttpResponse:
    context = {"message": str(reason)}
    return render(request, "comments/comment_forbidden.html", context, status=403)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def edit_comment(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        comment = own_comment(request, pk)
    except Refused as reason:
        return refused(request, reason)
    data = request.POST if request.method == "POST" else None
    form = CommentEditForm(data, initial={"comment": comment.body})
    if form.is_valid():
        comment.body = form.cleaned_data["comment"]
        comment.save(update_fields=["body", "body_html"])  # the status stays as it was
        return HttpResponseSeeOther(commenter_url(comment))
    context = {"comment": comment, "post": comment.post, "form": form}
    context["comment_url"] = commenter_url(comment)
    status = 400 if form.is_bound else 200
    return render(request, "comments/comment_edit.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def delete_comment(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        comment = own_comment(request, pk)
    except Refused as reason:
        return refused(request, reason)
    if request.method != "POST":
        context = {"comment": comment, "post": comment.post, "comment_url": commenter_url(comment)}
        return render(request, "comments/comment_confirm_delete.html", context)
    page = comment_pages([comment], site=SiteSettings.load())[comment.pk]
    comment.status, comment.status_reason = Comment.Status.TRASH, "deleted by its author"
    comment.save(update_fields=["status", "status_reason"])
    response = HttpResponseSeeOther(f"{page_url(comment.post, page)}#comments")
    owned = owned_comments(request)
    owned.pop(comment.pk, None)
    set_own_cookies(response, owned)
    return response
