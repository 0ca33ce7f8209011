"""`pressbox backup FILE`: the whole site in one archive, taken while it serves (issue 8).

The archive is a gzip-compressed tar file (docs/backup.md) holding, in this order:

- `manifest.json`: the format, Pressbox version, date, database engine, the applied
  migrations (so `restore` can refuse a backup from a newer Pressbox) and the site URL
  and time zone it was taken with;
- `database/pressbox.sqlite3` (the SQLite online backup API: a consistent copy while
  writers go on) or `database/pressbox.pgdump` (`pg_dump --format=custom`);
- `media/…`: every uploaded file;
- `data/…`: everything else the data dir keeps, such as the generated `secret_key` and
  emails written to files, but not what is rebuilt on its own (collected static files,
  the file cache) nor the database's own files;
- `SHA256SUMS`: a checksum of each member above, so `restore` knows a damaged archive
  before it writes anything.

The database is copied first and the files after: a file uploaded meanwhile is in the
archive but unknown to its database, which is harmless, where the other order would
leave the database pointing at missing files.

The archive is written beside FILE under a temporary name and renamed at the end, so
FILE is either the complete new backup or what it was before.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import os
import secrets
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, connections

from pressbox.lib import dbdump

FORMAT = 1
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
DATABASE_MEMBERS = {"sqlite": "database/pressbox.sqlite3", "postgresql": "database/pressbox.pgdump"}
CHUNK = 1024 * 1024

Progress = Callable[[int, int], None]
Note = Callable[[str], None]


class BackupError(Exception):
    """The backup cannot be made or read; the message is one sentence."""


# What a site is made of (shared with restore) -------------------------------------------


def pressbox_version() -> str:
    try:
        return importlib.metadata.version("pressbox")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover (always installed)
        return "0"


def engine() -> str:
    """The configured database engine, as the manifest names it."""
    name = settings.DATABASES[DEFAULT_DB_ALIAS]["ENGINE"]
    return "sqlite" if name.endswith("sqlite3") else "postgresql"


def sqlite_path() -> Path:
    return Path(settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"])


def sqlite_files(path: Path) -> list[Path]:
    """The database and the files SQLite keeps beside it."""
    return [path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]


def derived_dirs() -> list[Path]:
    """Folders in the data dir that are rebuilt on their own, so never backed up."""
    found = [Path(settings.STATIC_ROOT), Path(settings.DATA_DIR) / "cache"]
    cache = settings.CACHES["default"]
    if cache["BACKEND"].endswith(("FileBasedCache", "filecache.FileCache")):
        found.append(Path(cache["LOCATION"]))
    if page_files := getattr(settings, "PRESSBOX_PAGE_CACHE_DIR", None):
        found.append(Path(page_files))  # cached pages written for nginx
    return found


def regular_files(root: Path, *, skip: Callable[[Path], bool]) -> Iterator[Path]:
    """Regular files under `root` in a stable order; symlinks and sockets are left out."""
    if not root.is_dir():
        return
    for top, dirs, files in os.walk(root):
        here = Path(top)
        dirs[:] = sorted(d for d in dirs if not skip(here / d))
        for name in sorted(files):
            path = here / name
            if not skip(path) and path.is_file() and not path.is_symlink():
                yield path


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def site_files(*, also_skip: tuple[Path, ...] = ()) -> list[tuple[str, Path]]:
    """(archive name, path) of every media file and every other data-dir file to keep."""
    media = media_root()
    data = Path(settings.DATA_DIR)
    skipped = {os.path.abspath(p) for p in (*derived_dirs(), media, *also_skip)}
    if engine() == "sqlite":
        skipped |= {os.path.abspath(p) for p in sqlite_files(sqlite_path())}

    def skip(path: Path) -> bool:
        return os.path.abspath(path) in skipped or path.name.startswith(".pressbox-")

    found = [
        (f"media/{p.relative_to(media).as_posix()}", p) for p in regular_files(media, skip=skip)
    ]
    found += [(f"data/{p.relative_to(data).as_posix()}", p) for p in regular_files(data, skip=skip)]
    return found


# Writing ------------------------------------------------------------------------------


@dataclass
class BackupSummary:
    path: Path
    engine: str
    media_files: int = 0
    data_files: int = 0
    size: int = 0
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        database = "SQLite" if self.engine == "sqlite" else "PostgreSQL"
        media = _plural(self.media_files, "media file")
        data = _plural(self.data_files, "other file")
        size = _size(self.size)
        return f"Wrote {self.path}: the {database} database, {media} and {data} ({size})."


class _Hashing(io.RawIOBase):
    """A file read through a SHA-256."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.sha = handle, hashlib.sha256()

    def read(self, size: int | None = -1) -> bytes:
        chunk = self.handle.read(-1 if size is None else size)
        self.sha.update(chunk)
        return chunk


class ArchiveWriter:
    """Members added one at a time with their checksums; SHA256SUMS closes it."""

    def __init__(self, path: Path) -> None:
        # Readable by the owner only: it holds the secret key and commenters' emails.
        self.handle = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
        self.tar = tarfile.open(  # noqa: SIM115  (closed by finish() or abort())
            fileobj=self.handle, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT
        )
        self.sums: list[tuple[str, str]] = []
        self.now = int(datetime.now(tz=UTC).timestamp())

    def add_bytes(self, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = len(data), self.now, 0o644
        self.tar.addfile(info, io.BytesIO(data))
        self.sums.append((hashlib.sha256(data).hexdigest(), name))

    def add_file(self, name: str, path: Path, *, mode: int = 0o644) -> int:
        """Add `path` as `name`; its size. A file removed meanwhile raises FileNotFoundError."""
        with path.open("rb") as handle:
            stat = os.fstat(handle.fileno())
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), mode
            reader = _Hashing(handle)
            self.tar.addfile(info, reader)  # type: ignore[arg-type]
        self.sums.append((reader.sha.hexdigest(), name))
        return stat.st_size

    def finish(self) -> None:
        """Write SHA256SUMS, close the archive and flush it to disk."""
        listing = "".join(f"{digest}  {name}\n" for digest, name in self.sums)
        info = tarfile.TarInfo(SUMS)
        data = listing.encode()
        info.size, info.mtime, info.mode = len(data), self.now, 0o644
        self.tar.addfile(info, io.BytesIO(data))
        self.tar.close()
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()

    def abort(self) -> None:
        """Let go of an unfinished archive (the caller deletes it)."""
        self.handle.close()


def backup_create(
    *, target: Path, progress: Progress | None = None, note: Note | None = None
) -> BackupSummary:
    """Write the site's backup archive to `target` (replaced only when complete)."""
    target = Path(target).absolute()
    if target.is_dir():
        raise BackupError(f"{target} is a folder: name the archive file to write.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    data = Path(settings.DATA_DIR).absolute()
    if data == target.parent or data in target.parents:
        raise BackupError(
            f"{target} is inside the data dir, so the next backup would hold this one: "
            "write it elsewhere."
        )
    partial = target.with_name(f".pressbox-{secrets.token_hex(4)}-{target.name}.partial")
    try:
        with tempfile.TemporaryDirectory(prefix=".pressbox-backup-", dir=target.parent) as scratch:
            summary = _write(target, partial, Path(scratch), progress, note or (lambda _: None))
        os.replace(partial, target)
    except OSError as exc:
        raise BackupError(f"{target} could not be written ({exc.strerror or exc}).") from None
    finally:
        partial.unlink(missing_ok=True)
    summary.size = target.stat().st_size
    return summary


def _write(
    target: Path, partial: Path, scratch: Path, progress: Progress | None, note: Note
) -> BackupSummary:
    kind = engine()
    summary = BackupSummary(path=target, engine=kind)
    started = datetime.now(tz=UTC)
    database, about, migrations = _copy_database(kind, scratch, note)
    files = site_files(also_skip=(target, partial, scratch))
    manifest = {
        "format": FORMAT,
        "pressbox_version": pressbox_version(),
        "created_at": started.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "database": {"engine": kind, "member": DATABASE_MEMBERS[kind], **about},
        "migrations": migrations,
        "files": len(files),
        "site": {"url": settings.SITE_URL, "time_zone": settings.TIME_ZONE},
    }
    writer = ArchiveWriter(partial)
    try:
        writer.add_bytes(MANIFEST, json.dumps(manifest, indent=2).encode() + b"\n")
        writer.add_file(DATABASE_MEMBERS[kind], database, mode=0o600)
        note(f"Adding {_plural(len(files), 'file')} (media and data dir).")
        for done, (name, path) in enumerate(files, start=1):
            try:
                private = name.startswith("data/")  # the secret key, emails
                writer.add_file(name, path, mode=0o600 if private else 0o644)
            except FileNotFoundError:  # deleted since the listing: it was not needed
                summary.skipped.append(name)
            else:
                if name.startswith("media/"):
                    summary.media_files += 1
                else:
                    summary.data_files += 1
            if progress is not None:
                progress(done, len(files))
        writer.finish()
    finally:
        writer.abort()
    return summary


def _copy_database(
    kind: str, scratch: Path, note: Note
) -> tuple[Path, dict[str, Any], dbdump.Migrations]:
    """The database copied into `scratch`, what the manifest says about it, and the
    migrations applied to it."""
    copy = scratch / Path(DATABASE_MEMBERS[kind]).name
    try:
        if kind == "sqlite":
            note("Copying the SQLite database (online backup).")
            dbdump.sqlite_snapshot(sqlite_path(), copy)
            return copy, {}, dbdump.sqlite_verify(copy)
        server_major, migrations = _postgres_state()
        note("Dumping the PostgreSQL database (pg_dump).")
        tool_major = dbdump.pg_dump(
            connections[DEFAULT_DB_ALIAS].settings_dict, copy, server_major=server_major
        )
    except dbdump.DumpError as exc:
        raise BackupError(str(exc)) from None
    return copy, {"server_version": server_major, "pg_dump_version": tool_major}, migrations


def _postgres_state() -> tuple[int, dbdump.Migrations]:
    """The server's major version and the applied migrations."""
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.ensure_connection()
        server_major = connection.pg_version // 10000  # type: ignore[attr-defined]
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
            rows = cursor.fetchall()
    except OperationalError as exc:
        raise BackupError(f"The database cannot be reached ({str(exc).strip()}).") from None
    except DatabaseError:
        raise BackupError(
            "The database has no Pressbox tables: run `pressbox migrate` first."
        ) from None
    finally:
        connection.close()
    return server_major, dbdump.migrations_dict(rows)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"  # pragma: no cover
