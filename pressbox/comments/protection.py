"""How the public comment form is protected while its page is cached for everyone.

docs/comments.md explains the whole design. The page holds nothing specific to one
visitor, so there is no CSRF token in it; instead:

- the Origin (or Referer) header must name this site (`views.submit.same_origin`);
- a signed timestamp over the post id (`form_token`) shows that the form came from this
  site for this post, neither a moment nor days ago. A cached page may carry an old one,
  so theme.js asks `/comments/token/<post_id>/` for a fresh one when the reader starts;
- the cache counts comments per IP address and per email address each hour
  (`rate_limited`), keyed by a keyed hash, never by the address itself;
- a honeypot field turns a bot's comment into spam (`spam/honeypot.py`).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import BaseCache
from django.core.signing import BadSignature, Signer, TimestampSigner, b62_decode, b62_encode
from django.utils.crypto import salted_hmac

TOO_FAST = (
    "That was quick! To keep robots out, a comment sent within seconds of opening the "
    "page is not accepted. Please check your comment, then post it again."
)
TOO_OLD = (
    "This page has been open for a long time, so your comment could not be accepted as "
    "it was. Everything you typed is still here: please post it again."
)
FORGED = (
    "This form could not be checked: it may have come from another page, or been "
    "changed. Everything you typed is still here: please post it again."
)
RATE_LIMITED = (
    "You have posted several comments in a short time. Please wait a few minutes and try again."
)
RATE_WINDOW = 3600  # seconds: the limits are per clock hour


class _FormSigner(TimestampSigner):
    def __init__(self) -> None:
        super().__init__(salt="pressbox.comment-form")

    def sign_at(self, value: str, when: float) -> str:
        return Signer.sign(self, f"{value}{self.sep}{b62_encode(int(when))}")

    def value_and_age(self, token: str) -> tuple[str, float]:
        value, stamp = Signer.unsign(self, token).rsplit(self.sep, 1)
        return value, time.time() - b62_decode(stamp)


def form_token(post_id: int, *, aged: bool = False) -> str:
    """The value of the form's hidden `timestamp` field for a post.

    `aged` dates it back by the minimum delay: a form sent back with an error message
    has been in front of a person already, so posting it again at once must work.
    """
    when = time.time() - (settings.PRESSBOX_COMMENT_FORM_MIN_SECONDS if aged else 0)
    return _FormSigner().sign_at(str(post_id), when)


def form_token_problem(token: str, *, post_id: int) -> str | None:
    """Why a submitted token is refused (the message for the reader), or None."""
    try:
        value, age = _FormSigner().value_and_age(token or "")
    except (BadSignature, ValueError):
        return FORGED
    if value != str(post_id):
        return FORGED
    if age > settings.PRESSBOX_COMMENT_FORM_MAX_AGE:
        return TOO_OLD
    if age < settings.PRESSBOX_COMMENT_FORM_MIN_SECONDS:
        return TOO_FAST
    return None


def rate_limited(*, ip: str | None, email: str, per_ip: int, per_email: int) -> bool:
    """Count one comment from this IP and this email address; whether either has now
    gone past its limit for the hour (a limit of 0 means no limit)."""
    over = False
    if ip and per_ip:
        over |= _count("ip", ip) > per_ip
    if email and per_email:
        over |= _count("email", email.strip().lower()) > per_email
    return over


def _count(kind: str, value: str) -> int:
    """Add one to this hour's counter for the value, atomically where the cache can.

    Redis and the in-memory cache increment in place. Caches with no native increment
    (files, database) re-store the value with the default timeout, so the counter's
    lifetime is set again. The key holds a keyed hash, never the address.
    """
    cache = caches[DEFAULT_CACHE_ALIAS]
    digest = salted_hmac("pressbox.comment-rate", f"{kind}:{value}").hexdigest()[:32]
    key = f"pressbox:comment-rate:{kind}:{digest}:{int(time.time()) // RATE_WINDOW}"
    if cache.add(key, 1, timeout=RATE_WINDOW):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=RATE_WINDOW)
        return 1
    if type(cache).incr is BaseCache.incr:
        cache.touch(key, RATE_WINDOW)
    return count
