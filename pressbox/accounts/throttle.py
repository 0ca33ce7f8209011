"""Login throttling: failed attempts counted per account and per IP in the cache.

After `ACCOUNT_LIMIT` failures for one username, or `IP_LIMIT` from one address, within
`WINDOW` seconds of the last counted failure, every attempt is refused (even with the right
password) until the window passes; refused attempts are not counted, so the lock ends 15
minutes after the failure that caused it. The refusal is the same whether or not the
account exists, since failures for unknown usernames are counted too. A successful login
or a new password clears the account's counter; the IP's counter only expires.

Cache keys hold an HMAC of the username or address under the site's secret, never the
value itself, so the cache (Redis in production, issue 8) stores no personal data. With
Redis every process shares the counters; the file cache shares them between processes on
one host.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

WINDOW = 15 * 60
ACCOUNT_LIMIT = 5
IP_LIMIT = 20


def _key(scope: str, value: str) -> str:
    digest = salted_hmac(f"pressbox.throttle.{scope}", value, algorithm="sha256").hexdigest()
    return f"pressbox:login-failures:{scope}:{digest[:40]}"


def _account(username: str) -> str:
    # One counter for "Maya", "maya" and " maya": varying the case gains no attempts.
    return _key("account", username.strip().casefold())


def client_ip(request: HttpRequest | None) -> str:
    """The reader's address: behind nginx (PRESSBOX_BEHIND_PROXY), the one nginx saw,
    put in REMOTE_ADDR by pressbox.lib.security.ProxyHeadersMiddleware."""
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR") or ""


def _keys(username: str, ip: str) -> list[str]:
    return [_account(username)] + ([_key("ip", ip)] if ip else [])


def login_blocked(*, username: str, ip: str) -> bool:
    """True when this username or this address has failed too often lately."""
    counts = cache.get_many(_keys(username, ip))
    if counts.get(_account(username), 0) >= ACCOUNT_LIMIT:
        logger.warning("Login refused: too many failed attempts for one account.")
        return True
    if ip and counts.get(_key("ip", ip), 0) >= IP_LIMIT:
        logger.warning("Login refused: too many failed attempts from one address.")
        return True
    return False


def login_failed(*, username: str, ip: str) -> None:
    """Count one failed attempt against the username and the address."""
    for key in _keys(username, ip):
        cache.add(key, 0, WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, WINDOW)
        # incr() keeps the expiry on Redis and locmem but not on every backend; restate it.
        cache.touch(key, WINDOW)


def login_cleared(*, username: str) -> None:
    """Forget the account's failures (after a successful login or a new password)."""
    cache.delete(_account(username))
