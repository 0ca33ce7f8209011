"""Privacy: what Pressbox keeps about commenters, and how it lets go of it.

- `ip_anonymize` erases the IP address and user agent of comments older than N days
  (`SiteSettings.ip_retention_days`, 30 by default). The worker runs it every hour;
  `pressbox anonymize_ips` runs it by hand.
- `personal_data_export` and `personal_data_erase` answer a commenter's request by
  email address, as WordPress's privacy tools do: everything stored about the address
  (as JSON-ready data), or their comments anonymised (the text stays, as in WordPress)
  and their reply-notification subscription deleted. The commands
  `export_personal_data` and `erase_personal_data` call them, and so does the dashboard.

Addresses are matched without regard to case: imports may have stored them as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pressbox.comments.models import Comment, ReplySubscriber
from pressbox.comments.pages import comment_pages, page_url
from pressbox.lib import pagecache
from pressbox.lib.avatars import avatar_key
from pressbox.posts.models import SiteSettings

ANONYMOUS = "Anonymous"


def ip_anonymize(*, older_than_days: int) -> int:
    """Erase IP address and user agent from comments older than `older_than_days`
    (0: from every comment); return how many comments changed."""
    if older_than_days < 0:
        raise ValueError("The number of days cannot be negative.")
    cutoff = timezone.now() - timedelta(days=older_than_days)
    stale = Comment.objects.filter(created_at__lt=cutoff).filter(
        Q(ip_address__isnull=False) | ~Q(user_agent="")
    )
    return stale.update(ip_address=None, user_agent="")


def checked_address(email: str) -> str:
    address = (email or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ValueError(f"{email!r} is not an email address.") from None
    return address


def personal_data_export(*, email: str) -> dict[str, Any]:
    """Everything stored about an email address: each of its comments, private details
    included, and its reply-notification subscription (None if it never asked)."""
    address = checked_address(email)
    site = SiteSettings.load()
    comments = list(
        Comment.objects.filter(author_email__iexact=address)
        .select_related("post")
        .order_by("created_at", "pk")
    )
    pages = comment_pages(comments, site=site)
    subscriber = ReplySubscriber.objects.filter(email__iexact=address).first()
    return {
        "email": address,
        "exported_at": timezone.now().isoformat(),
        "comments": [_comment_data(c, page=pages[c.pk], site=site) for c in comments],
        "reply_subscription": _subscription_data(subscriber) if subscriber else None,
    }


def _comment_data(comment: Comment, *, page: int, site: SiteSettings) -> dict[str, Any]:
    post_url = comment.post.permalink(site.permalink_structure)
    return {
        "id": comment.pk,
        "post_title": comment.post.title,
        "post_url": f"{settings.SITE_URL}{post_url}",
        "comment_url": f"{settings.SITE_URL}"
        f"{page_url(comment.post, page, base=post_url)}#{comment.anchor}",
        "date": comment.created_at.isoformat(),
        "name": comment.author_name,
        "email": comment.author_email,
        "website": comment.author_url,
        "body": comment.body,
        "status": comment.status,
        "ip_address": comment.ip_address,
        "user_agent": comment.user_agent,
        "notify_replies": comment.notify_replies,
    }


def _subscription_data(subscriber: ReplySubscriber) -> dict[str, Any]:
    def iso(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "email": subscriber.email,
        "created_at": iso(subscriber.created_at),
        "confirmation_sent_at": iso(subscriber.confirmation_sent_at),
        "confirmed_at": iso(subscriber.confirmed_at),
        "unsubscribed_at": iso(subscriber.unsubscribed_at),
        "active": subscriber.is_active,
    }


@dataclass(frozen=True)
class Erasure:
    comments: int
    subscriptions: int


def personal_data_erase(*, email: str) -> Erasure:
    """Anonymise every comment by the address (name "Anonymous"; no email, website, IP,
    user agent or account; the text stays) and delete its reply subscription."""
    address = checked_address(email)
    with transaction.atomic():
        comments = Comment.objects.filter(author_email__iexact=address).update(
            author_name=ANONYMOUS,
            author_email="",
            author_url="",
            ip_address=None,
            user_agent="",
            user=None,
            notify_replies=False,
            avatar_key=avatar_key(""),
        )
        _, deleted = ReplySubscriber.objects.filter(email__iexact=address).delete()
    pagecache.bump()  # update() sends no signal; the erased names show on pages
    return Erasure(comments=comments, subscriptions=deleted.get(ReplySubscriber._meta.label, 0))
