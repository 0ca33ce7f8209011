"""Turn PRESSBOX_CACHE_URL and PRESSBOX_EMAIL_URL into Django settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from pressbox.lib.env import ConfigError

# Django's default of 300 files would cull the full-page cache (pressbox/lib/pagecache.py)
# of any real site on nearly every write.
FILE_CACHE_ENTRIES = 20_000


REDIS_TIMEOUT = 2.0  # seconds to connect to, or hear from, Redis


def cache_config(name: str, url: str, *, default_dir: Path) -> dict[str, Any]:
    """`redis://` and `rediss://` use Django's RedisCache; `file://`, `locmem://` and
    `dummy://` its own backends. The default keeps the cache in files under the data dir
    so that every worker process of `pressbox serve` shares it with no extra server."""
    if not url:
        return {
            "BACKEND": "pressbox.lib.filecache.FileCache",
            "LOCATION": str(default_dir),
            "OPTIONS": {"MAX_ENTRIES": FILE_CACHE_ENTRIES},
        }
    parts = urlsplit(url)
    if parts.scheme in {"redis", "rediss", "unix"}:
        # A Redis that stops answering costs a request seconds, not forever: the page
        # then falls back to rendering, and /healthz answers 503.
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    if parts.scheme == "file":
        if not parts.path:
            raise ConfigError(f"{name} must name a directory, as in file:///var/cache/pressbox.")
        return {
            "BACKEND": "pressbox.lib.filecache.FileCache",
            "LOCATION": unquote(parts.path),
            "OPTIONS": {"MAX_ENTRIES": FILE_CACHE_ENTRIES},
        }
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if parts.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ConfigError(
        f"{name} must start with redis://, rediss://, file://, locmem:// or dummy://, not {url!r}."
    )


def email_config(name: str, url: str, *, default_dir: Path) -> dict[str, Any]:
    """`smtp://user:password@host:port` (`?tls=1` for STARTTLS) or `smtps://` for implicit
    TLS; `file:///dir` writes each email to a file; `console://` prints them. The default
    writes files under the data dir, so nothing is lost before mail is set up."""
    if not url:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(default_dir),
        }
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ConfigError(f"{name} must name a host, as in smtp://user:pass@mail.example:587.")
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(f"{name} has a port that is not a number: {url!r}.") from None
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": port or (465 if parts.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_USE_TLS": query.get("tls", "0").lower() in {"1", "true", "yes"},
            "EMAIL_TIMEOUT": 10,
        }
    if parts.scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path) or str(default_dir),
        }
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    raise ConfigError(
        f"{name} must start with smtp://, smtps://, file:// or console://, not {url!r}."
    )
