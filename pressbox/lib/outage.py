"""A clean answer when the database or Redis is unreachable, or the disk full (issue 8).

While PostgreSQL restarts (or a SQLite file stays locked past its busy timeout), every
request that needs the database would otherwise end in the generic 500 page and a
traceback in the log. `OutageMiddleware`, near the top of MIDDLEWARE (outside the page
cache), answers those requests with a short 503 page and `Retry-After` instead, and a
comment being sent is shown back on it to copy, so nothing typed is lost (DESIGN.md).
It changes nothing else: Django opens
a fresh connection on the next request (`CONN_HEALTH_CHECKS`), so the site comes back
by itself when the database does, without restarting Pressbox. Pages already in the
page cache keep being served during the outage, since a hit needs no database. A Redis
cache that cannot be reached gets the same page (the cache comes back by itself too).

A write that fails for lack of disk space (ENOSPC, or a full quota) gets a 507 page
that says so, rather than "something went wrong".

The pages are self-contained: rendering them must not need the database.
"""

from __future__ import annotations

import errno
import functools
import logging
import re
import sys
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.html import escape

try:  # Redis is optional (PRESSBOX_CACHE_URL=redis://…)
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    CACHE_ERRORS: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError)
except ImportError:  # pragma: no cover
    CACHE_ERRORS = ()

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
MARK = "_pressbox_outage"

UNAVAILABLE = (
    503,
    "Back in a moment",
    "The site cannot reach its database just now, so this page cannot be shown. "
    "Nothing you sent before was lost. Please try again in a minute.",
)
CACHE_UNAVAILABLE = (
    503,
    "Back in a moment",
    "The site cannot reach its cache server just now, so this page cannot be shown. "
    "Nothing you sent before was lost. Please try again in a minute.",
)
DISK_FULL = (
    507,
    "The server’s disk is full",
    "What you sent could not be saved because the server has run out of disk space, "
    "and nothing of it was kept. Please try again later.",
)

# templates/500.html's look: its <style> block is copied in (see `style()`), so the
# Content-Security-Policy hash that allows that block (pressbox.lib.security) fits here too.
PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light dark">
  <title>{title}</title>
  {style}
</head>
<body>
  <main>
    <p class="code">Error {status}</p>
    <h1>{title}</h1>
    <p>{text}</p>{typed}
  </main>
</body>
</html>
"""


def kind_of(exc: BaseException | None) -> tuple[int, str, str] | None:
    """The page for an error that means an outage rather than a bug, or None."""
    if isinstance(exc, OperationalError | InterfaceError):
        return UNAVAILABLE
    if isinstance(exc, CACHE_ERRORS):
        return CACHE_UNAVAILABLE
    if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
        return DISK_FULL
    return None


@functools.cache
def style() -> str:
    """The <style> block of templates/500.html, read once (from a file, not the database)."""
    try:
        source = get_template("500.html").template.source  # type: ignore[attr-defined]
    except TemplateDoesNotExist:
        return ""
    found = re.search(r"<style>.*?</style>", source, re.DOTALL)
    return found.group(0) if found else ""


def outage_response(request: HttpRequest, page: tuple[int, str, str]) -> HttpResponse:
    status, title, text = page
    accept = request.headers.get("Accept", "")
    response: HttpResponse
    if "application/json" in accept and "text/html" not in accept:
        response = JsonResponse({"error": text}, status=status)
    else:
        html = PAGE.format(
            status=status, title=title, text=text, style=style(), typed=typed(request)
        )
        response = HttpResponse(html, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def typed(request: HttpRequest) -> str:
    """A comment that could not be saved, shown back to whoever typed it (the page is
    theirs alone: never cached)."""
    try:
        comment = request.POST.get("comment", "") if request.method == "POST" else ""
    except Exception:  # the body itself could not be read (a full disk)
        return ""
    if not comment:
        return ""
    return (
        '\n    <p><label for="typed">Your comment was not saved. Here it is, to copy and '
        'send again in a minute:</label></p>\n    <textarea id="typed" rows="8" '
        f"readonly>{escape(comment)}</textarea>"
    )


def log(request: HttpRequest, exc: BaseException) -> None:
    # The error's first line names the server or the file, never a visitor's data.
    lines = str(exc).strip().splitlines()
    logger.warning(
        "Answered %s %s with an outage page: %s %s",
        request.method,
        request.path,
        type(exc).__name__,
        lines[0] if lines else "",
    )


class OutageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        style()  # read the template now, not during an outage

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except Exception as exc:  # the 500 handler itself failed
            page = kind_of(exc)
            if page is None:
                raise
            log(request, exc)
            return outage_response(request, page)
        page = getattr(request, MARK, None)
        if response.status_code == 500 and page is not None:
            return outage_response(request, page)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """An outage in a view: the page at once, without the 500 traceback in the log."""
        page = kind_of(exception)
        if page is None:
            return None
        log(request, exception)
        return outage_response(request, page)


def _note_outage(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Another middleware failed (Django turns that into a 500 on the spot): remember
    why, so that OutageMiddleware answers with the right page instead."""
    exc = sys.exc_info()[1]
    page = kind_of(exc)
    if request is not None and exc is not None and page is not None:
        setattr(request, MARK, page)
        log(request, exc)


got_request_exception.connect(_note_outage, dispatch_uid="pressbox.lib.outage")
