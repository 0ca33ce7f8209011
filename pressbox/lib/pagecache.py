"""The full-page cache for anonymous GETs (issue 7).

`PageCacheMiddleware` sits early in MIDDLEWARE: a hit answers from Django's default
cache (files in the data dir, shared by every worker of `pressbox serve`, or Redis)
before sessions, templates or the ORM are touched. The commonest hit, a plain GET, is
answered earlier still, in front of Django (pressbox.lib.pagecache_wsgi), with the
same key (`page_key`).

Keys hold a *generation*: a number kept in the same cache and bumped whenever anything
a page shows changes (`connect()`, from the pressbox app's ready()), so every page is invalidated
at once. The next scheduled publication is kept beside it; the first request after
that moment bumps the generation, so a scheduled post appears with no cron, in every
process. A deploy version (the package version, the static manifest and the templates)
is part of each key, so a new theme never serves old pages.

Pages hold nothing specific to one visitor (docs/design: the comment form carries no
CSRF token and reads its cookies in the browser), so one copy serves every anonymous
reader. Signed-in readers, and anyone holding a session, always bypass the cache.

A page is kept in each encoding readers have asked for (pressbox.lib.compression),
each copy under its own key (`<key>:br`, `<key>:gzip`, `<key>:identity`): a hit reads
the one copy the reader's Accept-Encoding asks for, no bigger than it, and compresses
nothing. The first reader asking for an encoding not kept yet has it made from a copy
that is; browsers all ask for brotli, so most pages are kept once, compressed.

A page carries an ETag (one per encoding) and, once a second has passed since it was
rendered, a Last-Modified of the second after its rendering: any later version is
rendered after the change that made it, so it can never share that date with an older
one.

With PRESSBOX_PAGE_CACHE_DIR set, pages are also written as files that nginx serves
directly, deleted at every bump (pressbox.lib.pagefiles, docs/deploy.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import logging
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers, set_response_etag
from django.utils.http import http_date

from pressbox.lib import compression, pagefiles

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
NEXT_CHANGE_KEY = "pagecache:next-change"
NO_CHANGE = 0.0  # NEXT_CHANGE_KEY's value when no scheduled change is pending
NOT_FOUND_SECONDS = 60

# Paths whose answers are per-visitor, private or already cheap.
BYPASS_PREFIXES = (
    "/dashboard/",
    "/admin/",
    "/preview/",
    "/media/",
    "/static/",
    "/avatar/",
    "/comments/",  # the form's endpoints, editing, moderation links, subscriptions
    "/healthz",  # must touch the cache itself, never answer from it (lib/health.py)
)
CACHEABLE_UNDER_BYPASS = {"/comments/feed/", "/comments/feed/atom/", "/comments/feed/json/"}
# Query parameters that make a page per-visitor (a held comment shown to its author).
PRIVATE_PARAMS = ("unapproved", "moderation-hash")
CACHEABLE_STATUS = {200, 301, 404}
# Response Vary values a cached copy may carry: Cookie only varies on the session here,
# and requests holding a session never reach the cache.
HARMLESS_VARY = {"accept-encoding", "cookie"}


def deploy_version() -> str:
    """What changes when new code, templates or static files are deployed."""
    parts = []
    try:
        parts.append(importlib.metadata.version("pressbox"))
    except importlib.metadata.PackageNotFoundError:
        parts.append("dev")
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    try:
        stat = manifest.stat()
        parts.append(f"{stat.st_mtime_ns}:{stat.st_size}")
    except OSError:
        parts.append("-")
    templates = Path(__file__).resolve().parent.parent / "templates"
    newest = 0
    for root, _dirs, files in os.walk(templates):
        for name in files:
            with contextlib.suppress(OSError):
                newest = max(newest, os.stat(os.path.join(root, name)).st_mtime_ns)
    parts.append(str(newest))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


# Generation ---------------------------------------------------------------------------


def bump() -> None:
    """Invalidate every cached page now, and once more when the transaction commits
    (a reader rendering in between would otherwise store the old state)."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # missing: start from a value no earlier generation used
        cache.set(GENERATION_KEY, time.time_ns(), None)
    cache.delete(NEXT_CHANGE_KEY)
    if pagefiles.enabled():
        try:
            pagefiles.invalidate()
        except OSError:  # the change itself must not fail; the next writer retries
            logger.exception("Could not delete the page files in PRESSBOX_PAGE_CACHE_DIR.")


def expire_now() -> None:
    """Invalidate every page now: the scheduled-publication task (pressbox/tasks.py)."""
    _bump()


def schedule_expiry(moment: float) -> None:
    """Nginx serves page files without asking Python, so the moment a page changes by
    the clock alone needs a task to delete them (run by the worker of `pressbox serve`)."""
    if moment == NO_CHANGE or not pagefiles.enabled():
        return
    from pressbox.tasks import page_files_expire_queue

    try:
        page_files_expire_queue(datetime.fromtimestamp(moment, tz=UTC))
    except Exception:
        logger.exception("Could not queue the task that deletes page files at %s.", moment)


def next_change() -> float:
    """When a page next changes by the clock alone: a scheduled post or page goes live,
    or a post's comments close automatically. Epoch seconds, or NO_CHANGE."""
    from pressbox.posts.models import Page, Post, Publishable, SiteSettings

    now = timezone.now()
    moments = []
    for model in (Post, Page):
        first = (
            model.objects.filter(status__in=Publishable.LIVE, published_at__gt=now)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        if first is not None:
            moments.append(first)
    days = SiteSettings.load().close_comments_after_days
    if days:
        closing = (
            Post.objects.filter(
                status__in=Publishable.LIVE,
                comments_open=True,
                published_at__gt=now - timedelta(days=days),
            )
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        if closing is not None:
            moments.append(closing + timedelta(days=days))
    return min(moments).timestamp() if moments else NO_CHANGE


def current_generation() -> int:
    """The generation to key pages with, bumping it first if the clock changed a page."""
    found = cache.get_many([GENERATION_KEY, NEXT_CHANGE_KEY])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        generation = cache.get(GENERATION_KEY)
    pending = found.get(NEXT_CHANGE_KEY)
    if pending is None:
        pending = next_change()
        cache.set(NEXT_CHANGE_KEY, pending, None)
        schedule_expiry(pending)
    elif pending != NO_CHANGE and time.time() >= pending:
        _bump()
        return current_generation()
    return int(generation)


def page_key(version: str, scheme: str, host: str, path: str, query: str, generation: int) -> str:
    """The key of a page: the middleware's and the WSGI front's
    (pressbox.lib.pagecache_wsgi) must agree to the byte."""
    raw = "\n".join((version, scheme, host, path, query))
    digest = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()
    return f"pagecache:{generation}:{digest}"


# Middleware ---------------------------------------------------------------------------


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.version = deploy_version()
        if pagefiles.enabled():
            try:
                pagefiles.claim(self.version)  # a new deploy: no page file of the old one
            except Exception:  # the cache or the disk; the next page written retries
                logger.exception("Could not empty PRESSBOX_PAGE_CACHE_DIR.")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not enabled() or not cacheable_request(request):
            response = self.get_response(request)
            if request.method not in ("GET", "HEAD", "OPTIONS") and has_session(request):
                # A signed-in change made without model signals (queryset.update()).
                bump()
            return response
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)
        generation = current_generation()
        key = self.key(request, host, generation)
        encoding = compression.negotiate(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        entry = lookup(key, encoding)
        if entry is not None:
            response = from_entry(entry)
            response["X-Cache"] = "HIT"
            if entry.get("file") and pagefiles.enabled() and not pagefiles.exists(request.path):
                # nginx did not find it (written before the setting, or deleted by hand)
                self.write_file(request.path, identity_of(entry), generation)
            return response
        response = self.get_response(request)
        if request.method == "GET" and cacheable_response(response):
            self.store(request, response, key, generation, encoding)
        response["X-Cache"] = "MISS"
        return response

    def key(self, request: HttpRequest, host: str, generation: int) -> str:
        scheme = "https" if request.is_secure() else "http"
        query = request.META.get("QUERY_STRING", "")
        return page_key(self.version, scheme, host, request.path, query, generation)

    def store(
        self,
        request: HttpRequest,
        response: HttpResponse,
        key: str,
        generation: int,
        encoding: str | None,
    ) -> None:
        """Keep the page (and the encodings needed now), and answer in the reader's one."""
        ttl = settings.PRESSBOX_PAGE_CACHE_SECONDS
        if response.status_code == 404:
            ttl = min(ttl, NOT_FOUND_SECONDS)
        set_response_etag(response)  # once here, not by ConditionalGet on each hit
        if response.status_code == 200 and not response.has_header("Cache-Control"):
            # Browsers ask again each time (a cheap 304) rather than guess a lifetime
            # from Last-Modified and show an old page.
            response["Cache-Control"] = "no-cache"
        compressible = compression.compressible(response)
        if compressible:
            patch_vary_headers(response, ("Accept-Encoding",))
        file = pagefiles.enabled() and page_file_wanted(request, response)
        identity = to_entry(response, ttl=ttl, compressible=compressible, file=file)
        entry = recode(identity, encoding)
        cache.set(copy_key(key, encoding), entry, ttl)
        if file:
            self.write_file(request.path, identity, generation, entry)
        if entry["encoding"] is not None:
            compression.set_encoded(response, entry["content"], entry["encoding"])

    def write_file(
        self,
        path: str,
        identity: dict[str, Any],
        generation: int,
        done: dict[str, Any] | None = None,
    ) -> None:
        bodies = {"": identity["content"]}
        for name, suffix in (("gzip", ".gz"), ("br", ".br")):
            copy = done if done is not None and done["encoding"] == name else None
            copy = copy or recode(identity, name)
            if copy["encoding"] == name:
                bodies[suffix] = copy["content"]
        pagefiles.write(path, generation=generation, version=self.version, bodies=bodies)


def enabled() -> bool:
    """The setting, and a cache that keeps things (not `dummy://`)."""
    return settings.PRESSBOX_PAGE_CACHE and not settings.CACHES["default"]["BACKEND"].endswith(
        ".DummyCache"
    )


def has_session(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies


def cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or has_session(request):
        return False
    if request.path.startswith(BYPASS_PREFIXES):
        return request.path in CACHEABLE_UNDER_BYPASS
    query = request.GET
    return not any(name in query for name in PRIVATE_PARAMS)


def cacheable_response(response: HttpResponse) -> bool:
    if response.status_code not in CACHEABLE_STATUS or response.streaming:
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= HARMLESS_VARY


def page_file_wanted(request: HttpRequest, response: HttpResponse) -> bool:
    """A page nginx may serve as a file: a 200 HTML page for a path with no query string.
    (The request is already known to be an anonymous GET the cache keeps.)"""
    if response.status_code != 200 or request.META.get("QUERY_STRING"):
        return False
    content_type = response.get("Content-Type", "").partition(";")[0].strip().lower()
    return content_type == "text/html" and pagefiles.relative_dir(request.path) is not None


def to_entry(
    response: HttpResponse, *, ttl: int, compressible: bool = False, file: bool = False
) -> dict[str, Any]:
    """The page as rendered (identity encoding), ready to store."""
    now = time.time()
    modified = int(now) + 1
    headers = [(k, v) for k, v in response.items() if k.lower() != "x-cache"]
    return {
        "status": response.status_code,
        "reason": response.reason_phrase,
        "headers": headers,  # as sent
        "content": response.content,
        "encoding": None,
        "identity_headers": headers,  # to make other encodings from this copy
        "compressible": compressible,
        "file": file,
        "expires": now + ttl,
        # Last-Modified: the second after rendering, sent once that second has come.
        "modified": modified,
        "modified_http": http_date(modified),
    }


def copy_key(key: str, encoding: str | None) -> str:
    return f"{key}:{encoding or 'identity'}"


def identity_of(entry: dict[str, Any]) -> dict[str, Any]:
    """The page as rendered, from a copy in any encoding."""
    if entry.get("encoding") is None:
        return entry
    body = compression.decompress(entry["content"], entry["encoding"])
    headers = entry["identity_headers"]
    return {**entry, "content": body, "headers": headers, "encoding": None}


def recode(entry: dict[str, Any], encoding: str | None) -> dict[str, Any]:
    """The copy of the page in `encoding`; as rendered when that would be no smaller."""
    identity = identity_of(entry)
    if encoding is None or not identity.get("compressible"):
        return identity
    body = compression.compress(identity["content"], encoding)
    if len(body) >= len(identity["content"]):
        return identity
    headers = []
    for name, value in identity["headers"]:
        lower = name.lower()
        if lower == "content-length":
            value = str(len(body))
        elif lower == "etag":
            value = compression.etag_for(value, encoding)
        headers.append((name, value))
    if not any(name.lower() == "content-length" for name, _ in headers):
        headers.append(("Content-Length", str(len(body))))
    headers.append(("Content-Encoding", encoding))
    return {**identity, "headers": headers, "content": body, "encoding": encoding}


def lookup(key: str, encoding: str | None) -> dict[str, Any] | None:
    """The stored copy in `encoding`. A page kept in other encodings only is copied
    into this one once, by the first reader asking for it, and kept for the others."""
    entry: dict[str, Any] | None = cache.get(copy_key(key, encoding))
    if entry is not None:
        return entry
    others = [copy_key(key, name) for name in (None, *compression.ENCODINGS) if name != encoding]
    found = cache.get_many(others)
    if not found:
        return None
    source = found.get(others[0]) or next(iter(found.values()))
    entry = recode(source, encoding)
    cache.set(copy_key(key, encoding), entry, max(1, int(source.get("expires", 0) - time.time())))
    return entry


def from_entry(entry: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"], reason=entry["reason"])
    # The stored headers as they are: Django checked each when the page was rendered,
    # and checking a dozen again (ResponseHeaders.__setitem__) is a tenth of a hit.
    response.headers._store = {name.lower(): (name, value) for name, value in entry["headers"]}
    if "Last-Modified" not in response.headers and (modified := last_modified(entry)):
        response.headers["Last-Modified"] = modified
    return response


def last_modified(entry: dict[str, Any]) -> str | None:
    """The page's Last-Modified, once the second after its rendering has come."""
    modified = entry.get("modified")
    return entry["modified_http"] if modified and time.time() >= modified else None


# Invalidation -------------------------------------------------------------------------


def _changed(sender: type, instance: Any = None, **kwargs: Any) -> None:
    bump()


def _user_saved(sender: type, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return  # signing in changes nothing a page shows
    bump()


def _comment_saved(sender: type, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """A new comment held or marked as spam shows on no page; any other change may."""
    if created and instance.status != instance.Status.APPROVED:
        return
    bump()


def connect() -> None:
    """Bump the generation whenever a model shown on public pages changes."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from pressbox.accounts.models import AuthorProfile, User
    from pressbox.comments.models import Comment
    from pressbox.media.models import Media
    from pressbox.posts.models import (
        Category,
        Page,
        Post,
        PostAuthor,
        Redirect,
        SiteSettings,
        Tag,
    )

    uid = "pressbox.pagecache"
    shown: list[type[Model]] = [
        Post,
        Page,
        Category,
        Tag,
        PostAuthor,
        AuthorProfile,
        SiteSettings,
        Media,
        Redirect,
    ]
    for model in shown:
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save.{model.__name__}")
    post_save.connect(_user_saved, sender=User, dispatch_uid=f"{uid}.save.User")
    post_save.connect(_comment_saved, sender=Comment, dispatch_uid=f"{uid}.save.Comment")
    deleted: list[type[Model]] = [*shown, User, Comment]
    for model in deleted:
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete.{model.__name__}")
    for field in (Post.authors, Post.categories, Post.tags):
        through = field.through
        m2m_changed.connect(_changed, sender=through, dispatch_uid=f"{uid}.m2m.{through.__name__}")
