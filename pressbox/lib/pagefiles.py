"""Cached pages written as files that nginx serves without asking Python (issue 7).

With `PRESSBOX_PAGE_CACHE_DIR` set, each page the page cache keeps (an anonymous GET,
200, text/html, no query string) is also written as `<dir>/<path>/index.html`, with
`index.html.gz` and `index.html.br` beside it for nginx's `gzip_static` and
`brotli_static`, as WP Super Cache does. docs/deploy.md gives the nginx configuration.

Invalidation deletes the files. The rules that keep nginx from ever serving a stale page:

- Every change bumps the page cache's generation, then calls `invalidate()`: under an
  exclusive lock (flock on `<dir>/.pressbox/lock`), every entry of the directory is
  renamed into a trash folder (a handful of renames, so nginx stops finding them at
  once; the trash is deleted afterwards) and the state file records the generation now
  in the cache.
- A writer renders under generation N, writes its files to a temporary folder, then
  renames them into place holding the lock shared, and only if the state file still
  says N. A page rendered before a change therefore either lands before the change's
  invalidation (which then deletes it) or is dropped.
- The state file also holds the deploy version (new templates or static files wipe the
  directory when the first worker starts) and a floor for the files' modification
  times, raised at each invalidation that deleted something: two versions of one page
  never share a modification time, so nginx's ETag and Last-Modified (made from it)
  never call an old copy current.
- A scheduled post's time, reached with no request reaching Python, is handled by a
  task queued for that moment (`pressbox.tasks.page_files_expire`), which the task
  worker of `pressbox serve` runs.

Only paths made of plain characters are written (letters, digits, `-`, `_`, `~`, and
dots not leading a segment), at most MAX_SEGMENT characters a segment and MAX_PATH in
all: nginx decodes percent-escapes and resolves dot segments before it looks for a
file, so a path with any of them would not map to the same file in both.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

from pressbox.lib.env import ConfigError

logger = logging.getLogger(__name__)

OWN = ".pressbox"  # our folder inside the directory; no page path can start with a dot
INDEX = "index.html"
SUFFIXES = ("", ".gz", ".br")  # identity, gzip, brotli
MAX_SEGMENT = 200
MAX_PATH = 1000
MAX_DEPTH = 20
STALE_TEMP_SECONDS = 3600
_SEGMENT = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*\Z")


# Configuration ------------------------------------------------------------------------


def configured(name: str, raw: str, *, data_dir: Path) -> Path | None:
    """The directory named by the variable, created and checked, or None when unset.

    It must be a directory of its own: at each change Pressbox deletes everything in it,
    so it must be empty the first time (or already Pressbox's) and not hold the data."""
    if not raw:
        return None
    path = Path(raw).expanduser().resolve()
    if path == data_dir or path in data_dir.parents:
        raise ConfigError(
            f"{name} is {str(path)!r}, which holds the data directory; "
            "give the page files a directory of their own, such as /var/cache/pressbox/pages."
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
        ours = (path / OWN).is_dir()
        if not ours and any(path.iterdir()):
            raise ConfigError(
                f"{name} is {str(path)!r}, which already holds other files; Pressbox "
                "empties that directory at every change, so give it an empty one."
            )
        for sub in ("tmp", "trash"):
            (path / OWN / sub).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"{name} is {str(path)!r}, which cannot be created ({exc.strerror})."
        ) from None
    if not os.access(path, os.W_OK) or not os.access(path / OWN, os.W_OK):
        raise ConfigError(f"{name} is {str(path)!r}, which is not writable.")
    return path


def directory() -> Path | None:
    return settings.PRESSBOX_PAGE_CACHE_DIR


def enabled() -> bool:
    from pressbox.lib import pagecache

    return directory() is not None and pagecache.enabled()


# Paths --------------------------------------------------------------------------------


def relative_dir(url_path: str) -> str | None:
    """`/2024/05/squats/` -> `2024/05/squats`, `/` -> ``; None for any path nginx might
    map to another file (escapes, dot segments, odd characters, no trailing slash)."""
    if not url_path.startswith("/") or not url_path.endswith("/") or len(url_path) > MAX_PATH:
        return None
    inner = url_path[1:-1]
    if not inner:
        return ""
    segments = inner.split("/")
    if len(segments) > MAX_DEPTH:
        return None
    for segment in segments:
        if len(segment) > MAX_SEGMENT or not _SEGMENT.match(segment):
            return None
    return inner


def page_file(url_path: str) -> Path | None:
    """Where the identity copy of this page goes, or None."""
    root = directory()
    relative = relative_dir(url_path)
    if root is None or relative is None:
        return None
    return root / relative / INDEX


# State and lock -----------------------------------------------------------------------


@contextlib.contextmanager
def _locked(root: Path, *, exclusive: bool) -> Iterator[bool]:
    """The directory's lock: shared (not waiting; False if an invalidation holds it)
    for writers, exclusive (waiting) for an invalidation. A new descriptor each time,
    so threads of one process exclude each other too."""
    fd = os.open(root / OWN / "lock", os.O_RDONLY | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def read_state(root: Path) -> dict[str, Any]:
    try:
        state = json.loads((root / OWN / "state").read_text())
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _write_state(root: Path, state: dict[str, Any]) -> None:
    fd, name = tempfile.mkstemp(dir=root / OWN / "tmp")
    with os.fdopen(fd, "w") as handle:
        json.dump(state, handle)
    os.chmod(name, 0o644)
    os.replace(name, root / OWN / "state")


def _cached_generation() -> int | None:
    from django.core.cache import cache

    from pressbox.lib.pagecache import GENERATION_KEY

    value = cache.get(GENERATION_KEY)
    return None if value is None else int(value)


# Writing ------------------------------------------------------------------------------


def write(url_path: str, *, generation: int, version: str, bodies: dict[str, bytes]) -> bool:
    """Put one page's files in place if `generation` is still current; True if written.

    `bodies` maps each suffix of SUFFIXES to the file's bytes ("" is required). Any
    error is logged, never raised: the reader still gets the page from Python."""
    root, relative = directory(), relative_dir(url_path)
    if root is None or relative is None or "" not in bodies:
        return False
    temps: dict[str, str] = {}
    try:
        for suffix, body in bodies.items():
            fd, temps[suffix] = tempfile.mkstemp(dir=root / OWN / "tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(body)
                os.fchmod(handle.fileno(), 0o644)  # nginx runs as another user
        for attempt in (1, 2):
            with _locked(root, exclusive=False) as held:
                if not held:
                    return False  # an invalidation is under way: this page is old
                state = read_state(root)
                if state.get("generation") == generation and state.get("version") == version:
                    _place(root / relative, temps, floor=int(state.get("floor", 0)))
                    return True
            # The directory belongs to another generation or deploy. If ours is the
            # current one, the directory is behind (a first start, an evicted cache, a
            # change made by a process without this setting): claim it, then try again.
            if attempt == 2 or _cached_generation() != generation:
                return False
            invalidate(version=version)
    except OSError as exc:
        logger.warning("Could not write the page file for %s: %s", url_path, exc)
    finally:
        for name in temps.values():
            with contextlib.suppress(OSError):
                os.unlink(name)
    return False


def _place(folder: Path, temps: dict[str, str], *, floor: int) -> None:
    """Rename the files in (compressed copies first), all with one modification time."""
    mtime = max(int(time.time()), floor)
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in reversed(SUFFIXES):
        if suffix in temps:
            os.utime(temps[suffix], (mtime, mtime))
            os.replace(temps.pop(suffix), folder / f"{INDEX}{suffix}")


def exists(url_path: str) -> bool:
    path = page_file(url_path)
    return path is not None and path.exists()


# Invalidation -------------------------------------------------------------------------


def invalidate(*, version: str | None = None) -> None:
    """Delete every page file, now. Called after each generation bump (in whatever
    process made the change), by the scheduled-publication task, and when a worker
    starts with a new deploy version (`version`)."""
    root = directory()
    if root is None:
        return
    trash = root / OWN / "trash" / uuid.uuid4().hex
    with _locked(root, exclusive=True):
        state = read_state(root)
        names = [entry.name for entry in os.scandir(root) if entry.name != OWN]
        if names:
            trash.mkdir(parents=True)
            for name in names:
                os.rename(root / name, trash / name)
        floor = int(state.get("floor", 0))
        if names:  # the deleted files' times are all below the new floor
            floor = max(int(time.time()), floor) + 1
        _write_state(
            root,
            {
                "generation": _cached_generation(),
                "version": version or state.get("version"),
                "floor": floor,
            },
        )
    if names:
        # Deleting a big tree takes a while; nginx no longer sees it, so not in the request.
        threading.Thread(target=empty_trash, args=(root,), daemon=True).start()


def claim(version: str) -> None:
    """At a worker's start: a directory written by another deploy, or for a generation
    that is no longer current, is emptied."""
    root = directory()
    if root is None:
        return
    state = read_state(root)
    if state.get("version") != version or state.get("generation") != _cached_generation():
        invalidate(version=version)


def empty_trash(root: Path) -> None:
    """Delete what invalidations renamed away, and temporary files a crash left."""
    own = root / OWN
    with contextlib.suppress(OSError):
        for entry in os.scandir(own / "trash"):
            shutil.rmtree(entry.path, ignore_errors=True)
    cutoff = time.time() - STALE_TEMP_SECONDS
    with contextlib.suppress(OSError):
        for entry in os.scandir(own / "tmp"):
            with contextlib.suppress(OSError):
                if entry.stat().st_ctime < cutoff:
                    os.unlink(entry.path)
