"""Log records as JSON lines, with no personal data (issue 8).

`JSONFormatter` writes one object per line: `time` (UTC, ISO 8601), `level`, `logger`,
`message`, then `exception` when there is one. A record about a request (granian's
access log, Django's `django.request` and `django.server`) adds `method`, `path`,
`status` and, for the access log, `duration_ms`.

Private by default (docs/design): a log line never holds a visitor's IP address, an
email address, a cookie or a query string. The formatter builds request fields itself
from a short list (never the client address, headers or query), hides the secret part
of emailed links (moderation, unsubscribe, password reset, invitation, draft preview),
and as a last guard masks anything shaped like an email or IP address in messages and
tracebacks: an SMTP or database error may quote one.

Only the standard library is imported here: granian's main process, which has no
Django, formats its own lines with this class too (`granian_config`).
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

EMAIL = re.compile(r"[\w.+'-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])")
_H = "[0-9a-f]{1,4}"
IPV6 = re.compile(
    rf"(?<![\w:])(?:(?:{_H}:){{7}}{_H}|(?:{_H}:){{1,7}}:(?:{_H}(?::{_H})*)?|::{_H}(?::{_H})*)"
    r"(?![\w:])",
    re.IGNORECASE,
)

# Addresses whose last part is a secret sent by email or shared by hand.
SECRET_PATHS = re.compile(
    r"^(?P<keep>/comments/moderate/|/comments/notify/confirm/|/comments/notify/unsubscribe/"
    r"|/dashboard/invitation/|/dashboard/password-reset/(?!done/$|complete/$)|/preview/)"
    r"[^?#]+"
)


def scrub(text: str) -> str:
    """`text` with email and IP addresses masked; loopback and unspecified addresses
    (a server's own `Listening at: http://127.0.0.1:8000`) identify no one and stay."""
    text = EMAIL.sub("[email]", text)
    text = IPV4.sub(_mask_ip, text)
    return IPV6.sub(_mask_ip, text)


def _mask_ip(match: re.Match[str]) -> str:
    try:
        address = ipaddress.ip_address(match[0])
    except ValueError:
        return match[0]  # 999.1.2.3 is no address
    return match[0] if address.is_loopback or address.is_unspecified else "[ip]"


def safe_path(path: str) -> str:
    """A request path fit for a log: no query string, no secret link token."""
    path = path.split("?", 1)[0]
    return scrub(SECRET_PATHS.sub(r"\g<keep>[token]/", path))


class JSONFormatter(logging.Formatter):
    """One JSON object per line; see the module docstring for the fields."""

    def format(self, record: logging.LogRecord) -> str:
        fields = request_fields(record)
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(fields.pop("message", None) or record.getMessage()),
            **fields,
        }
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exception"] = scrub(record.exc_text)
        if record.stack_info:
            entry["stack"] = scrub(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def request_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The request a record is about, as safe fields (a `message` replaces the record's
    own when that would quote more than these)."""
    if record.name == "granian.access" and isinstance(record.args, Mapping):
        return access_fields(record.args)
    status = getattr(record, "status_code", None)
    if record.name == "django.server" and isinstance(record.args, tuple) and record.args:
        # runserver's "GET /path?query HTTP/1.1" 200 1234
        verb, _, rest = str(record.args[0]).partition(" ")
        line = safe_path(rest.rsplit(" ", 1)[0])
        return {"message": f"{verb} {line} {status}", "method": verb, "path": line}
    request = getattr(record, "request", None)
    method, path = getattr(request, "method", None), getattr(request, "path", None)
    if not isinstance(method, str) or not isinstance(path, str):
        return {}
    fields: dict[str, Any] = {"method": method, "path": safe_path(path)}
    if isinstance(status, int):
        fields["status"] = status
    return fields


def access_fields(args: Mapping[str, Any]) -> dict[str, Any]:
    """granian's access record: everything but the client address and the query."""
    method, path, status = str(args.get("method", "")), safe_path(str(args.get("path", ""))), 0
    try:
        status = int(args.get("status", 0))
        duration = round(float(args.get("dt_ms", 0.0)), 3)
    except (TypeError, ValueError):
        duration = 0.0
    return {
        "message": f"{method} {path} {status}",
        "method": method,
        "path": path,
        "status": status,
        "duration_ms": duration,
    }


# The access log format granian is given: no address even if this formatter is bypassed.
GRANIAN_ACCESS_FORMAT = "%(method)s %(path)s %(status)d %(dt_ms).3f"


def granian_config() -> dict[str, Any]:
    """The logging set-up for granian (`--log-config`): its server and access records as
    JSON lines on stderr, as Django's own are."""
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "json",
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JSONFormatter"}},
        "handlers": {"console": handler},
        "loggers": {
            "_granian": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "granian.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }


@contextlib.contextmanager
def granian_config_file() -> Iterator[str]:
    """`granian_config()` in a temporary file for `--log-config`, removed afterwards
    (granian reads it once at start, so reloads need it no longer)."""
    fd, name = tempfile.mkstemp(prefix="pressbox-granian-log-", suffix=".json")
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(granian_config(), handle)
        yield name
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)
