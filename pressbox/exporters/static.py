"""The whole public site as files: `pressbox export_static DIR` (docs/static-export.md).

Every page is what the site's own templates, feeds and views give an anonymous reader
(pressbox/exporters/static_pages.py), with `settings.SITE_URL` set to the base URL, so
canonical links, feeds and sitemaps name the static site. The addresses come from the
database, not from following links: the site is read once (static_site.PublishedSite)
and every post with its comment pages and feeds, every page of every list and every
archive's feeds are planned from it, then rendered in bulk by `jobs` worker processes.
Addresses that only text a person wrote can name (a link in a post or comment to a
day archive or an old address) are rendered through their views afterwards, following
redirects, so each link in the export points at a file the export wrote.

Files are named as a static server looks them up: `/2024/05/squats/` becomes
`2024/05/squats/index.html`; feeds, being directories too, become `feed/index.xml`
(RSS and Atom) and `feed/json/index.json`, so the server sends them with their own
type once it lists those names as directory indexes (the docs give nginx, Apache and
Caddy lines).

Under a base URL with a path (`https://example.com/blog/`), pages are rendered at the
root and every root-relative URL in a start tag's href, src, srcset, action and poster
is given the prefix afterwards; Django alone cannot do it, since some addresses come
from stored HTML (a post's images) or are built by hand in the views. Absolute URLs
are already right: they are built on SITE_URL.

Incremental: everything is rendered again and only the files whose bytes changed are
written (to a temporary file renamed over the old one). `.pressbox-static.json` in DIR
keeps the SHA-256 of every file written, so an unchanged file is neither read nor
written; files the export wrote before and no longer produces (a deleted post) are
removed, and nothing else in DIR is touched.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from django.utils.module_loading import import_string

from pressbox.exporters.static_files import (
    atomic_copy,
    atomic_write,
    prune_empty,
    read_manifest,
    walk,
    write_manifest,
)
from pressbox.exporters.static_pages import (
    SEARCH_INDEX,
    SEARCH_PATH,
    PageRenderer,
    Rendered,
    links_in,
)
from pressbox.exporters.static_search import search_index
from pressbox.exporters.static_site import PublishedSite
from pressbox.posts.feeds.formats import SUFFIXES
from pressbox.posts.models import site_settings_read_once

# Addresses that are per-visitor, private or copied as files rather than rendered.
SKIPPED = ("/static/", "/media/", "/dashboard/", "/admin/", "/preview/", "/comments/")
RENDERED_UNDER_SKIPPED = ("/comments/feed/",)
# Rendered through their views (with the site's pages and avatars): the sitemap,
# robots.txt, the comments feed and the search page.
SEEDS = ("/sitemap.xml", "/robots.txt", "/comments/feed/", SEARCH_PATH)
FEEDS = tuple(f"feed/{suffix}" for suffix in SUFFIXES.values())
DATE_ARCHIVE = re.compile(r"^/\d{4}/(?:\d{2}/){0,2}$")
# The theme's "Page 1 of 12" under a list, and a list page's own suffix.
PAGE_COUNT = re.compile(r'<span class="page-status">Page 1 of (\d+)</span>')
PAGED = re.compile(r"page/\d+/$")
POSTS_PER_JOB = 50  # a worker's share at a time: small enough to keep both cores busy
PAGES_PER_JOB = 25
PATHS_PER_JOB = 20
FEEDS_PER_JOB = 5  # archives

SITEMAP_LOC = re.compile(r"<loc>([^<]+)</loc>")
# The HTML tokens whose URLs move under a prefix: comments and the bodies of scripts
# and styles are kept as they are; a start tag's URL attributes are rewritten.
HTML_TOKEN = re.compile(
    r"<!--.*?-->|(<(?:script|style)\b[^>]*>).*?</(?:script|style)\s*>|<[a-zA-Z][^>]*>",
    re.IGNORECASE | re.DOTALL,
)
URL_ATTRIBUTE = re.compile(
    r"""(\s(?:href|src|srcset|action|poster)\s*=\s*)(["'])(.*?)\2""",
    re.IGNORECASE | re.DOTALL,
)
# An empty feed is stamped with the time it was built, and a comment form (with
# --comments-url) with the time it was signed; that alone is not a change: the form's
# script asks the live site for a fresh timestamp anyway.
BUILD_TIME = re.compile(rb"<lastBuildDate>[^<]*</lastBuildDate>|<updated>[^<]*</updated>")
FORM_TIME = re.compile(rb'<input type="hidden" name="timestamp" value="[^"]*">')

Progress = Callable[[int, int], None]
"""Called as pages are written with (pages done, pages planned so far)."""


class ExportError(Exception):
    """Why the site could not be exported, as one sentence."""


@dataclass(frozen=True)
class StaticOptions:
    """What the templates see as `request.static_export` while the site is exported."""

    base_url: str  # ends with "/"
    comments_url: str = ""  # the live site's origin (and path), no trailing "/"
    # Parts of pages that are the same wherever they appear, rendered once per export
    # process (pressbox/posts/templatetags/list_tags.py).
    fragments: dict[object, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def prefix(self) -> str:
        """The base URL's path: "/" or "/blog/"."""
        return urlsplit(self.base_url).path or "/"

    @property
    def no_comment_form(self) -> bool:
        return not self.comments_url

    def has_comment_feed(self, comment_count: int) -> bool:
        """A post's comment feed is written (and linked) when it has comments or could
        get some: a static site without a comment form never will, so it has no empty
        feeds (three files fewer a post)."""
        return bool(comment_count) or not self.no_comment_form


@dataclass
class StaticSummary:
    target: Path
    pages: int = 0
    written: int = 0
    unchanged: int = 0
    deleted: int = 0
    seconds: float = 0.0
    missing: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"Exported {self.pages} pages to {self.target}: {self.written} written, "
            f"{self.unchanged} unchanged, {self.deleted} deleted in {self.seconds:.1f} s."
        )


@dataclass(frozen=True)
class Job:
    """A worker's share: posts (by id), pages of one list, lists' feeds (by index in
    PublishedSite.archives), addresses for the views, or the search index."""

    kind: str  # "posts", "archive", "feeds", "views" or "search"
    items: tuple[Any, ...] = ()
    archive: int = 0  # the list, for "archive": its index in PublishedSite.archives

    @property
    def pages(self) -> int:
        """The files it writes, as planned: a post's page (its comment feeds are counted
        by the plan, more comment pages as they come), a list's three feeds."""
        per_item = {"feeds": 3}.get(self.kind, 1)
        return 1 if self.kind == "search" else per_item * len(self.items)


def parse_base_url(value: str, *, name: str) -> str:
    """An http(s) URL with a host, its path ending in "/"."""
    parts = urlsplit(value.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ExportError(f"{name} must be an http:// or https:// URL with a host, not {value!r}.")
    if parts.query or parts.fragment:
        raise ExportError(f"{name} cannot hold a query or a fragment: {value!r}.")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def static_export(
    *,
    target: Path,
    base_url: str = "",
    comments_url: str = "",
    progress: Progress | None = None,
    jobs: int = 1,
) -> StaticSummary:
    """Write the public site into `target`, rendering with `jobs` processes; raises
    ExportError on a bad folder or URL."""
    started = time.monotonic()
    target = Path(target)
    base = parse_base_url(base_url or settings.SITE_URL + "/", name="The base URL")
    live = parse_base_url(comments_url, name="The comments URL")[:-1] if comments_url else ""
    _check_target(target)
    options = StaticOptions(base_url=base, comments_url=live)
    export = _Export(target, options, progress, jobs=jobs)
    with (
        tempfile.TemporaryDirectory(prefix="pressbox-static-") as staging,
        override_settings(
            SITE_URL=base[:-1],
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, urlsplit(base).hostname or ""],
            STATIC_ROOT=staging,
            STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": _static_backend()}},
        ),
    ):
        try:
            export.run(Path(staging))
        except OSError as exc:
            raise ExportError(
                f"{target} cannot be written ({exc.strerror or exc}: {exc.filename})."
            ) from None
    export.summary.seconds = time.monotonic() - started
    return export.summary


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target} is a file; give the folder to write the site into.")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{target} cannot be created ({exc.strerror or exc}).") from None
    if not os.access(target, os.W_OK | os.X_OK):
        raise ExportError(f"{target} is not writable.")


def _static_backend() -> str:
    """The configured storage's naming (hashed or not), without its compression: the
    export writes plain files and the hashed names are the same."""
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    if issubclass(import_string(backend), ManifestFilesMixin):
        return "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    return "django.contrib.staticfiles.storage.StaticFilesStorage"


class _Export:
    def __init__(
        self, target: Path, options: StaticOptions, progress: Progress | None, *, jobs: int
    ) -> None:
        self.target = target
        self.jobs = jobs
        self.options = options
        self.progress = progress
        self.summary = StaticSummary(target=target)
        self.previous = read_manifest(target)
        self.files: dict[str, str] = {}  # relative path -> SHA-256 (or source signature)
        self.planned = self.done = 0
        self.site: PublishedSite
        self.renderer: PageRenderer
        self.shadowed: frozenset[str] = frozenset()  # post addresses a page takes

    def run(self, staging: Path) -> None:
        call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin"])
        self.copy_tree(staging, _url_dir(settings.STATIC_URL, "static"))
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir():
            self.copy_tree(media_root, _url_dir(settings.MEDIA_URL, "media"), stat=True)
        with site_settings_read_once():
            self.site = PublishedSite.load()
            self.renderer = PageRenderer(self.site, self.options)
            self.render_site()
            self.put("404.html", self.rewrite(self.renderer.not_found()))
        self.delete_stale()
        write_manifest(self.target, self.options, self.files)

    # The plan ------------------------------------------------------------------------

    def plan(self) -> tuple[list[Job], list[str]]:
        """Every address the site has, as worker jobs; and those rendered by views."""
        site = self.site
        per_page = site.settings.posts_per_page
        views = [
            *SEEDS,
            *(f"/comments/{suffix}" for suffix in FEEDS[1:]),
            *(page.get_absolute_url() for page in site.pages),
            *site.avatars,
        ]
        views = list(dict.fromkeys(unquote(path) for path in views))
        self.shadowed = frozenset(unquote(page.get_absolute_url()) for page in site.pages)
        jobs = [Job("search"), *(Job("views", chunk) for chunk in _chunks(views, PATHS_PER_JOB))]
        jobs += [
            Job("posts", chunk)
            for chunk in _chunks([post.pk for post in site.posts], POSTS_PER_JOB)
        ]
        for n, archive in enumerate(site.archives):
            numbers = range(1, archive.num_pages(per_page) + 1)
            jobs += [Job("archive", chunk, n) for chunk in _chunks(numbers, PAGES_PER_JOB)]
        indexes = range(len(site.archives))
        jobs += [Job("feeds", chunk) for chunk in _chunks(indexes, FEEDS_PER_JOB)]
        comment_feeds = sum(
            len(FEEDS) for post in site.posts if self.renderer.has_comment_feed(post)
        )
        self.planned = sum(job.pages for job in jobs) + comment_feeds
        return jobs, views

    def render_site(self) -> None:
        """Render the planned jobs, then, wave by wave, the addresses their stored text
        links to and the redirects lead to that no job rendered."""
        wave, views = self.plan()
        seen = set(views)
        while wave:
            found: list[str] = []
            for outcome in self.run_jobs(wave):
                self.record(outcome)
                seen.add(outcome.path)
                found += outcome.links
            new = [
                path
                for path in dict.fromkeys(found)
                if path not in seen
                and (not path.startswith(SKIPPED) or path.startswith(RENDERED_UNDER_SKIPPED))
            ]
            seen.update(new)
            self.planned += len(new)
            wave = [Job("views", chunk) for chunk in _chunks(new, PATHS_PER_JOB)]

    def record(self, outcome: Outcome) -> None:
        for name, digest, wrote in outcome.files:
            self.files[name] = digest
            if wrote:
                self.summary.written += 1
            else:
                self.summary.unchanged += 1
        if outcome.missing:
            self.summary.missing.append(outcome.path)
        self.summary.pages += outcome.page
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, max(self.done, self.planned))

    def run_jobs(self, jobs: list[Job]) -> Iterator[Outcome]:
        """The jobs' outcomes, from `jobs` forked worker processes when there is more
        than one job (each worker opens its own database connection)."""
        if self.jobs < 2 or len(jobs) < 2:
            for job in jobs:
                yield from self.run_job(job)
            return
        global _WORKER_EXPORT
        _WORKER_EXPORT = self
        connections.close_all()
        context = multiprocessing.get_context("fork")
        try:
            with context.Pool(self.jobs) as pool:
                for outcomes in pool.imap_unordered(_run_job, jobs):
                    yield from outcomes
        finally:
            _WORKER_EXPORT = None

    def run_job(self, job: Job) -> list[Outcome]:
        if job.kind == "views":
            return [self.process(path) for path in job.items]
        if job.kind == "search":
            index = self.store(SEARCH_INDEX, search_index(self.options))
            return [Outcome("/" + SEARCH_INDEX, files=[index])]
        if job.kind == "posts":
            rendered = self.renderer.posts(job.items, skip=self.shadowed)
        elif job.kind == "feeds":
            archives = [self.site.archives[n] for n in job.items]
            rendered = (feed for a in archives for feed in self.renderer.archive_feeds(a))
        else:
            rendered = self.renderer.archive_pages(self.site.archives[job.archive], job.items)
        return [self.keep(page) for page in rendered]

    # Rendering -----------------------------------------------------------------------

    def keep(self, rendered: Rendered) -> Outcome:
        """Write a rendered page (moved under the prefix) if its bytes changed."""
        body = rendered.body
        if "html" in rendered.content_type:
            body = self.rewrite(body)
        stable = None
        if rendered.path.endswith(FEEDS):  # stamped with its newest item's date, or now
            stable = BUILD_TIME.sub(b"", body, count=1)
        elif self.options.comments_url and "html" in rendered.content_type:
            stable = FORM_TIME.sub(b"", body)
        name = _file_name(rendered.path, rendered.content_type)
        return Outcome(
            rendered.path, page=1, files=[self.store(name, body, stable)], links=rendered.links
        )

    def process(self, path: str) -> Outcome:
        """Render `path` through its view, keep it, and list the addresses it leads to:
        the links of a page, the entries of a sitemap, a redirect's target."""
        found = self.renderer.view(path)
        if found is None or found.status >= 400:
            return Outcome(path, missing=True)
        if found.status in (301, 302, 307, 308):
            outcome = Outcome(path)
            location = urlsplit(found.location)
            if not location.netloc:
                outcome.links.append(location.path)
                if path.endswith("/"):
                    body = self.redirect_page(location.path)
                    outcome.files.append(self.store(_file_name(path, "text/html"), body))
            return outcome
        if "html" in found.content_type:
            text = found.body.decode()
            found.links = links_in(text)
            if pages := PAGE_COUNT.search(text):  # a list: every page of it at once
                base = PAGED.sub("", path)
                found.links += [f"{base}page/{n}/" for n in range(2, int(pages[1]) + 1)]
            if DATE_ARCHIVE.match(path):
                found.links += [path + suffix for suffix in FEEDS]
        elif path.startswith("/sitemap"):
            site = settings.SITE_URL
            for loc in SITEMAP_LOC.findall(found.body.decode()):
                loc = unescape(loc)
                if loc.startswith(site + "/"):
                    found.links.append(unquote(loc[len(site) :]))
        return self.keep(found)

    def redirect_page(self, location: str) -> bytes:
        url = self.options.base_url[:-1] + location
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="0; url={url}">'
            f'<link rel="canonical" href="{url}"><title>Moved</title></head>'
            f'<body><p>This page moved to <a href="{url}">{url}</a>.</p></body></html>'
        ).encode()

    def rewrite(self, body: bytes) -> bytes:
        """`body` with every root-relative URL in a start tag moved under the prefix."""
        prefix = self.options.prefix
        if prefix == "/":
            return body
        return rewrite_html(body.decode(), prefix).encode()

    # Files ---------------------------------------------------------------------------

    def store(self, name: str, body: bytes, stable: bytes | None = None) -> tuple[str, str, bool]:
        """Write `body` as `name` unless the file already holds these bytes (or, when
        `stable` is given, bytes that differ from it only where `body` does):
        (name, digest, whether it was written)."""
        digest = hashlib.sha256(body if stable is None else stable).hexdigest()
        path = self.target / name
        if self.previous.get(name) == digest and path.is_file():
            return name, digest, False
        atomic_write(path, body)
        return name, digest, True

    def put(self, name: str, body: bytes) -> None:
        name, digest, wrote = self.store(name, body)
        self.files[name] = digest
        if wrote:
            self.summary.written += 1
        else:
            self.summary.unchanged += 1

    def copy_tree(self, source: Path, url_dir: str, *, stat: bool = False) -> None:
        """Copy every file under `source` to `url_dir` in the export. With `stat`, a file
        whose size and modification time are those of the last copy is not read."""
        for path in walk(source):
            rel = f"{url_dir}/{path.relative_to(source).as_posix()}"
            if stat:
                info = path.stat()
                signature = f"stat:{info.st_size}:{info.st_mtime_ns}"
                self.files[rel] = signature
                if self.previous.get(rel) == signature and (self.target / rel).is_file():
                    self.summary.unchanged += 1
                    continue
                atomic_copy(path, self.target / rel)
                self.summary.written += 1
            else:
                self.put(rel, path.read_bytes())

    def delete_stale(self) -> None:
        for name in sorted(set(self.previous) - set(self.files)):
            path = self.target / name
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                self.summary.deleted += 1
            prune_empty(path.parent, self.target)


@dataclass
class Outcome:
    """What rendering one address gave: the files (name, digest, written) and the
    addresses it leads to."""

    path: str
    page: int = 0
    missing: bool = False
    files: list[tuple[str, str, bool]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


_WORKER_EXPORT: _Export | None = None  # the export a forked worker renders for


def _run_job(job: Job) -> list[Outcome]:
    assert _WORKER_EXPORT is not None
    return _WORKER_EXPORT.run_job(job)


def _chunks(items: Iterable[Any], size: int) -> Iterator[tuple[Any, ...]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield tuple(chunk)
            chunk = []
    if chunk:
        yield tuple(chunk)


def _url_dir(url: str, default: str) -> str:
    """STATIC_URL or MEDIA_URL as a folder of the export ("/static/" -> "static")."""
    path = urlsplit(url).path.strip("/")
    return path or default


def _file_name(path: str, content_type: str) -> str:
    """The file a static server answers `path` with."""
    rel = path.lstrip("/")
    if not path.endswith("/"):
        return rel
    if "json" in content_type:
        return f"{rel}index.json"
    if "xml" in content_type:
        return f"{rel}index.xml"
    return f"{rel}index.html"


def rewrite_html(markup: str, prefix: str) -> str:
    """Root-relative URLs of href, src, srcset, action and poster under `prefix`."""
    stem = prefix.rstrip("/")

    def move(url: str) -> str:
        return stem + url if url.startswith("/") and not url.startswith("//") else url

    def attribute(match: re.Match[str]) -> str:
        name, quote, value = match[1], match[2], match[3]
        if name.strip().lower().startswith("srcset"):
            moved = ", ".join(_move_candidate(part, move) for part in value.split(","))
        else:
            moved = move(value.strip())
        return f"{name}{quote}{moved}{quote}"

    def token(match: re.Match[str]) -> str:
        text = match[0]
        if text.startswith("<!--"):
            return text
        if match[1]:  # a script or style: only its start tag holds URLs
            start = match[1]
            return URL_ATTRIBUTE.sub(attribute, start) + text[len(start) :]
        return URL_ATTRIBUTE.sub(attribute, text)

    return HTML_TOKEN.sub(token, markup)


def _move_candidate(part: str, move: Callable[[str], str]) -> str:
    url, _, descriptor = part.strip().partition(" ")
    return f"{move(url)} {descriptor.strip()}".rstrip()
