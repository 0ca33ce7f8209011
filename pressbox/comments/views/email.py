"""Links in notification emails: confirm reply notifications, and stop any of them.

The signed token in the URL is the only credential (see `pressbox.comments.tokens`);
no session is involved, so these views need no CSRF token. That matters for RFC 8058
one-click unsubscribe, where the mail client itself POSTs `List-Unsubscribe=One-Click`.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from pressbox.accounts.models import AuthorProfile, User
from pressbox.comments import tokens
from pressbox.comments.models import ReplySubscriber


def link_invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "comments/notify_link_invalid.html", status=400)


@never_cache
@csrf_exempt  # the signed token is the credential, as for unsubscribe
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_subscription(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for a click, POST confirms: a mail scanner that fetches every link in a
    message must not be able to opt an address in on its owner's behalf."""
    try:
        subscriber_id, digest = tokens.read_confirmation(token)
    except tokens.BadToken:
        return link_invalid(request)
    subscriber = ReplySubscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or not tokens.matches(subscriber.email, digest):
        return link_invalid(request)
    if request.method != "POST":
        return render(request, "comments/notify_confirm.html")
    if not subscriber.is_active:
        subscriber.confirmed_at, subscriber.unsubscribed_at = timezone.now(), None
        subscriber.save(update_fields=["confirmed_at", "unsubscribed_at"])
    unsubscribe_url = tokens.unsubscribe_url("reply", pk=subscriber.pk, email=subscriber.email)
    return render(request, "comments/notify_confirmed.html", {"unsubscribe_url": unsubscribe_url})


@never_cache
@csrf_exempt  # the signed token is the credential; mail clients POST without a CSRF token
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for a click (mail scanners fetch links); POST unsubscribes at once."""
    try:
        link = tokens.read_unsubscribe(token)
    except tokens.BadToken:
        return link_invalid(request)
    email = recipient(link)
    if email is None or not tokens.matches(email, link.digest):
        return link_invalid(request)
    context = {"kind": link.kind}
    if request.method != "POST":
        return render(request, "comments/notify_unsubscribe.html", context)
    if link.kind == "reply":
        ReplySubscriber.objects.filter(pk=link.pk, unsubscribed_at__isnull=True).update(
            unsubscribed_at=timezone.now()
        )
    else:
        AuthorProfile.objects.update_or_create(user_id=link.pk, defaults={"notify_comments": False})
    return render(request, "comments/notify_unsubscribed.html", context)


def recipient(link: tokens.UnsubscribeLink) -> str | None:
    """The address the link was sent to, if its subscriber or author still exists."""
    if link.kind == "reply":
        return ReplySubscriber.objects.filter(pk=link.pk).values_list("email", flat=True).first()
    authors = User.objects.filter(~Q(email=""), pk=link.pk)
    return authors.values_list("email", flat=True).first()
