"""Signed links sent by email: moderate a comment, confirm or stop notifications.

Each link carries a token signed with the site's secret (django.core.signing), so the
link itself is the permission and needs no login. Tokens name rows by id, never by
email address, because URLs end up in access logs; a digest of the address binds a
token to the address it was sent to. Moderation and confirmation links expire after
a week; unsubscribe links never do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from pressbox.comments.models import Comment

MODERATE_SALT = "pressbox.comments.moderate"
CONFIRM_SALT = "pressbox.comments.confirm"
UNSUBSCRIBE_SALT = "pressbox.comments.unsubscribe"
MAX_AGE = timedelta(days=7)

# The action a moderation link names, and the status it gives the comment.
ACTIONS = {"approve": Comment.Status.APPROVED, "spam": Comment.Status.SPAM}


class BadToken(Exception):
    """The link was forged, altered, expired, or names something else."""


def email_digest(email: str) -> str:
    return salted_hmac("pressbox.comments.email", email.strip().lower()).hexdigest()[:16]


def matches(email: str, digest: Any) -> bool:
    return isinstance(digest, str) and constant_time_compare(email_digest(email), digest)


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def load(token: str, *, salt: str, max_age: timedelta | None = None) -> dict[str, Any]:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, UnicodeError):
        raise BadToken from None
    if not isinstance(data, dict):
        raise BadToken
    return data


@dataclass(frozen=True)
class ModerationLink:
    comment_id: int
    user_id: int
    action: str

    @property
    def status(self) -> str:
        return ACTIONS[self.action]


def moderation_url(comment: Comment, *, action: str, user_id: int) -> str:
    """A one-click link for `user_id` to approve or mark `comment` as spam."""
    assert action in ACTIONS
    token = signing.dumps({"c": comment.pk, "u": user_id, "a": action}, salt=MODERATE_SALT)
    return absolute(reverse("comments:moderate", kwargs={"token": token}))


def read_moderation(token: str) -> ModerationLink:
    data = load(token, salt=MODERATE_SALT, max_age=MAX_AGE)
    comment_id, user_id, action = data.get("c"), data.get("u"), data.get("a")
    if not (isinstance(comment_id, int) and isinstance(user_id, int) and action in ACTIONS):
        raise BadToken
    return ModerationLink(comment_id, user_id, action)


def confirmation_url(subscriber_id: int, email: str) -> str:
    """The double opt-in link sent to an address that asked to hear of replies."""
    token = signing.dumps({"s": subscriber_id, "e": email_digest(email)}, salt=CONFIRM_SALT)
    return absolute(reverse("comments:confirm", kwargs={"token": token}))


def read_confirmation(token: str) -> tuple[int, str]:
    """(subscriber id, digest of the address) from a confirmation link."""
    data = load(token, salt=CONFIRM_SALT, max_age=MAX_AGE)
    if not isinstance(data.get("s"), int) or not isinstance(data.get("e"), str):
        raise BadToken
    return data["s"], data["e"]


@dataclass(frozen=True)
class UnsubscribeLink:
    kind: str  # "reply": a ReplySubscriber; "author": a User's comment notifications
    pk: int
    digest: str


def unsubscribe_url(kind: str, *, pk: int, email: str) -> str:
    assert kind in {"reply", "author"}
    token = signing.dumps({"k": kind, "i": pk, "e": email_digest(email)}, salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("comments:unsubscribe", kwargs={"token": token}))


def read_unsubscribe(token: str) -> UnsubscribeLink:
    data = load(token, salt=UNSUBSCRIBE_SALT)
    kind, pk, digest = data.get("k"), data.get("i"), data.get("e")
    if kind not in {"reply", "author"} or not isinstance(pk, int) or not isinstance(digest, str):
        raise BadToken
    return UnsubscribeLink(kind, pk, digest)
