"""Page-cache hits answered in front of Django, straight from the WSGI environ (issue 7).

`PageCacheMiddleware` already answers a hit before sessions, templates and the ORM, but
by then Django has built a request, sent its signals and run five middlewares, and will
turn the answer back into WSGI: about half of a hit's cost. `CachedPages` wraps the
WSGI application (pressbox/wsgi.py) and answers the plainest, commonest hit itself:

- a `GET` with no query string, no conditional headers and no session or messages
  cookie, for a path the page cache keeps, with an ASCII path and a `Host` header;
- when the page cache's generation is known and no scheduled change is due;
- when a copy of the page is stored in the reader's encoding.

It computes the same key as the middleware from the same parts (deploy version,
scheme, host, path, empty query), so it can only find pages Django rendered and stored
for that exact host, which Django had checked against ALLOWED_HOSTS. It adds the
headers the middlewares outside the page cache add to a hit (Content-Security-Policy,
X-Frame-Options, Last-Modified once its second has come, `X-Cache: HIT`) and sends the
stored bytes. Anything else, including every error, goes to Django unchanged, which
answers it as before (a 304, a `?unapproved=` link, a Redis outage's 503 page).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler

from pressbox.lib import compression, pagecache, pagefiles
from pressbox.lib.security import CSP_HEADER, content_security_policy

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
# Headers that make Django's answer depend on more than the path (handled there).
CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_RANGE")


class CachedPages:
    def __init__(self, application: WSGIHandler) -> None:
        self.application = application
        self.version = pagecache.deploy_version()
        self.policy = content_security_policy()
        # pagecache.has_session's cookies; a name merely containing one (`xsessionid`)
        # goes to Django too, which looks properly.
        self.private_cookies = (f"{settings.SESSION_COOKIE_NAME}=", "messages=")

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            answer = self.hit(environ)
        except Exception:  # the cache unreachable, say: Django answers (with its 503 page)
            logger.debug("Page-cache front: passing to Django.", exc_info=True)
            answer = None
        if answer is None:
            return self.application(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    def hit(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes] | None:
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or environ.get("QUERY_STRING")
            or environ.get("SCRIPT_NAME")
            or settings.DEBUG
            or not pagecache.enabled()
            or any(name in environ for name in CONDITIONAL)
        ):
            return None
        cookies = environ.get("HTTP_COOKIE", "")
        if cookies and any(name in cookies for name in self.private_cookies):
            return None
        path = environ.get("PATH_INFO", "/")
        host = environ.get("HTTP_HOST")
        if not host or not path.isascii() or "%" in path:
            return None
        if path.startswith(pagecache.BYPASS_PREFIXES) and (
            path not in pagecache.CACHEABLE_UNDER_BYPASS
        ):
            return None
        if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
            return None
        generation = self.generation()
        if generation is None:
            return None
        key = pagecache.page_key(self.version, scheme(environ), host, path, "", generation)
        encoding = compression.negotiate(environ.get("HTTP_ACCEPT_ENCODING", ""))
        entry = pagecache.lookup(key, encoding)
        if entry is None or (
            entry.get("file") and pagefiles.enabled() and not pagefiles.exists(path)
        ):
            return None  # Django renders (and stores, and writes the page file)
        return self.answer(entry)

    def generation(self) -> int | None:
        """The current generation, or None when Django must work it out (first use, or
        a scheduled change due: that needs the database)."""
        found = cache.get_many([pagecache.GENERATION_KEY, pagecache.NEXT_CHANGE_KEY])
        generation = found.get(pagecache.GENERATION_KEY)
        pending = found.get(pagecache.NEXT_CHANGE_KEY)
        if generation is None or pending is None:
            return None
        if pending != pagecache.NO_CHANGE and time.time() >= pending:
            return None
        return int(generation)

    def answer(self, entry: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        headers = list(entry["headers"])
        names = {name.lower() for name, _ in headers}
        if "last-modified" not in names and (modified := pagecache.last_modified(entry)):
            headers.append(("Last-Modified", modified))
        if CSP_HEADER.lower() not in names:
            headers.append((CSP_HEADER, self.policy))
        if "x-frame-options" not in names:
            headers.append(("X-Frame-Options", settings.X_FRAME_OPTIONS))
        headers.append(("X-Cache", "HIT"))
        return f"{entry['status']} {entry['reason']}", headers, entry["content"]


def scheme(environ: dict[str, Any]) -> str:
    """`HttpRequest.scheme`, from the environ: the proxy's header when trusted."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    return "https" if environ.get("wsgi.url_scheme") == "https" else "http"
