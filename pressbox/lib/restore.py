"""`pressbox restore FILE`: a backup (pressbox/lib/backup.py) into an empty site.

Nothing is written until the archive has proved itself: its manifest is read first (a
backup from a newer Pressbox, or from the other database engine, is refused at once),
then every member is unpacked beside its final place under a hidden temporary name
while its SHA-256 is checked against the archive's SHA256SUMS, and a SQLite database
must pass its integrity check. Only then are the files renamed into place, the SQLite
file last; on PostgreSQL `pg_restore --single-transaction` loads the dump after the
files, and if it fails the files are taken away again. A restore that fails at any
point leaves the site as empty as it found it.

"Empty" means no tables in the database and no files in the data dir other than what
starting Pressbox creates by itself (the generated secret key, collected static files,
the cache). The backup's secret key replaces a generated one, so sessions and the links
in emails already sent keep working.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import re
import secrets
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.loader import MigrationLoader

from pressbox.lib import dbdump
from pressbox.lib.backup import (
    CHUNK,
    DATABASE_MEMBERS,
    FORMAT,
    MANIFEST,
    SUMS,
    Note,
    Progress,
    engine,
    media_root,
    pressbox_version,
    site_files,
    sqlite_files,
    sqlite_path,
)

ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, OSError, ValueError)


class RestoreError(Exception):
    """The backup cannot be restored here; the message is one sentence."""


@dataclass
class RestoreSummary:
    source: Path
    engine: str
    created_at: str
    media_files: int = 0
    data_files: int = 0
    secret_key: bool = False
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        media = f"{self.media_files} media file{'' if self.media_files == 1 else 's'}"
        data = f"{self.data_files} other file{'' if self.data_files == 1 else 's'}"
        return (
            f"Restored the backup of {self.created_at}: the {ENGINE_NAMES[self.engine]} "
            f"database, {media} and {data}."
        )


def backup_restore(
    *, source: Path, progress: Progress | None = None, note: Note | None = None
) -> RestoreSummary:
    """Restore the archive `source` into this (empty) site; RestoreError says why not."""
    source = Path(source)
    say = note or (lambda _: None)
    with _open(source) as archive:
        manifest = _manifest(archive, source)
        _check_target()
        kind = manifest["database"]["engine"]
        if kind == "postgresql":
            try:
                dbdump.pg_check_restore_tool(int(manifest["database"].get("pg_dump_version", 0)))
            except dbdump.DumpError as exc:
                raise RestoreError(str(exc)) from None
        summary = RestoreSummary(
            source=source, engine=kind, created_at=str(manifest.get("created_at", "?"))
        )
        with Staging() as staging:
            say("Unpacking and checking the archive.")
            try:
                database = _unpack(archive, source, manifest, staging, summary, progress)
            except OSError as exc:  # writing, not reading: the disk is full, say
                raise RestoreError(
                    f"The backup could not be unpacked into the site ({exc.strerror or exc}); "
                    "nothing was restored."
                ) from None
            _place(kind, database, staging, say)
    summary.notes += _afterwards(manifest, summary)
    return summary


# Reading the archive ------------------------------------------------------------------


class _Archive:
    """The members of a .tar.gz in order, with read errors turned into one sentence."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.manifest_sha = ""
        self.handle: IO[bytes] = source.open("rb")
        try:
            self.tar = tarfile.open(fileobj=self.handle, mode="r|gz")  # noqa: SIM115
        except READ_ERRORS:
            self.handle.close()
            raise

    def __enter__(self) -> _Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.tar.close()
        self.handle.close()

    def members(self) -> Iterator[tarfile.TarInfo]:
        """The members not read yet (a stream is read once, front to back)."""
        while True:
            try:
                member = self.tar.next()
            except READ_ERRORS as exc:
                raise damaged(self.source, exc) from None
            if member is None:
                return
            yield member

    def chunks(self, member: tarfile.TarInfo) -> Iterator[bytes]:
        try:
            reader = self.tar.extractfile(member)
            assert reader is not None
            while chunk := reader.read(CHUNK):
                yield chunk
        except READ_ERRORS as exc:
            raise damaged(self.source, exc) from None

    def read(self, member: tarfile.TarInfo, limit: int = 10 * CHUNK) -> bytes:
        if member.size > limit:
            raise damaged(self.source, ValueError(f"{member.name} is too large"))
        return b"".join(self.chunks(member))


def damaged(source: Path, exc: BaseException | str) -> RestoreError:
    detail = exc if isinstance(exc, str) else (str(exc) or type(exc).__name__)
    return RestoreError(f"{source} is damaged ({detail}); nothing was restored.")


def _open(source: Path) -> _Archive:
    if not source.exists():
        raise RestoreError(f"{source} does not exist.")
    if not source.is_file():
        raise RestoreError(f"{source} is not a file.")
    try:
        with source.open("rb") as handle:
            magic = handle.read(2)
    except OSError as exc:
        raise RestoreError(f"{source} cannot be read ({exc.strerror or exc}).") from None
    if magic != b"\x1f\x8b":
        raise RestoreError(f"{source} is not a Pressbox backup (not a .tar.gz archive).")
    try:
        return _Archive(source)
    except READ_ERRORS as exc:
        raise damaged(source, exc) from None


def _manifest(archive: _Archive, source: Path) -> dict[str, Any]:
    members = archive.members()
    first = next(members, None)
    if first is None or first.name != MANIFEST or not first.isfile():
        raise RestoreError(f"{source} is an archive but not a Pressbox backup (no manifest).")
    raw = archive.read(first)
    try:
        manifest = json.loads(raw)
        kind = manifest["database"]["engine"]
        if kind not in DATABASE_MEMBERS or not isinstance(manifest["migrations"], dict):
            raise ValueError(kind)
        manifest["format"] = int(manifest.get("format", 0))
        manifest["pressbox_version"] = str(manifest.get("pressbox_version", "0"))
        manifest["files"] = int(manifest.get("files", 0))
        for names in manifest["migrations"].values():
            if not isinstance(names, list):
                raise ValueError(names)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise damaged(source, "its manifest cannot be read") from None
    archive.manifest_sha = hashlib.sha256(raw).hexdigest()
    _check_manifest(manifest, source)
    return dict(manifest)


def version_key(version: str) -> tuple[int, ...]:
    """`1.10.2` → (1, 10, 2); a suffix such as `.dev1` or `rc1` does not count."""
    return tuple(int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3])


def _check_manifest(manifest: dict[str, Any], source: Path) -> None:
    theirs, ours = manifest["pressbox_version"], pressbox_version()
    if manifest["format"] > FORMAT or version_key(theirs) > version_key(ours):
        raise RestoreError(
            f"{source} was made by Pressbox {theirs}, newer than this one ({ours}): "
            "upgrade Pressbox, then restore."
        )
    known = known_migrations()
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        raise RestoreError(
            f"{source} holds database changes this Pressbox does not know ({unknown[0]}): "
            "restore it with the Pressbox version that made it, or a newer one."
        )
    kind, here = manifest["database"]["engine"], engine()
    if kind != here:
        where = (
            "with PRESSBOX_DATABASE_URL unset (SQLite)"
            if kind == "sqlite"
            else "with PRESSBOX_DATABASE_URL naming an empty PostgreSQL database"
        )
        raise RestoreError(
            f"{source} holds a {ENGINE_NAMES[kind]} database but this site uses "
            f"{ENGINE_NAMES[here]}: restore it {where}."
        )


def known_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


# The target ---------------------------------------------------------------------------

# What starting Pressbox writes into a new data dir by itself.
ALLOWED_IN_EMPTY = {"data/secret_key"}


def _check_target() -> None:
    problem = _database_problem()
    if problem is None:
        found = [name for name, _ in site_files() if name not in ALLOWED_IN_EMPTY]
        if found:
            problem = (
                f"the data dir {settings.DATA_DIR} already holds {found[0]}: "
                "point PRESSBOX_DATA_DIR at a new, empty folder"
            )
    if problem:
        raise RestoreError(f"Restore needs an empty site, but {problem}.")


def _database_problem() -> str | None:
    if engine() == "sqlite":
        path = sqlite_path()
        if dbdump.sqlite_is_empty(path):
            return None
        return (
            f"the database {path} already holds a site: point PRESSBOX_DATA_DIR at a new, "
            "empty folder"
        )
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        tables = connection.introspection.table_names()
    except DatabaseError as exc:
        raise RestoreError(f"The database cannot be reached ({str(exc).strip()}).") from None
    finally:
        connection.close()
    if not tables:
        return None
    return (
        f"the database {connection.settings_dict['NAME']} has {len(tables)} tables: create "
        "an empty one (createdb) and point PRESSBOX_DATABASE_URL at it"
    )


# Unpacking ----------------------------------------------------------------------------


class Staging:
    """Files written beside their final place under hidden names, then renamed into it.

    `rollback()` (on any exception inside `with`) removes staged and placed files and
    the folders created for them, and puts back a file that a placed one replaced.
    """

    def __init__(self) -> None:
        self.token = secrets.token_hex(4)
        self.staged: list[tuple[Path, Path]] = []  # (temporary, final)
        self.placed: list[Path] = []
        self.kept: list[tuple[Path, Path]] = []  # (moved-aside original, final)
        self.created_dirs: list[Path] = []
        self.scratch = Path(tempfile.mkdtemp(prefix=".pressbox-restore-", dir=settings.DATA_DIR))

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is not None:
            self.rollback()
        else:
            for aside, _ in self.kept:
                aside.unlink(missing_ok=True)
        shutil.rmtree(self.scratch, ignore_errors=True)

    def stage(self, final: Path) -> Path:
        self._make_dirs(final.parent)
        temporary = final.with_name(f".pressbox-restore-{self.token}-{final.name}")
        self.staged.append((temporary, final))
        return temporary

    def _make_dirs(self, folder: Path) -> None:
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for path in reversed(missing):
            path.mkdir()
            self.created_dirs.append(path)

    def place(self, finals: set[Path] | None = None) -> None:
        """Rename the staged files (those for `finals`, or all) into place."""
        for temporary, final in self.staged:
            if (finals is not None and final not in finals) or final in self.placed:
                continue
            if final.exists():
                aside = final.with_name(f".pressbox-restore-{self.token}-old-{final.name}")
                os.replace(final, aside)
                self.kept.append((aside, final))
            os.replace(temporary, final)
            self.placed.append(final)

    def rollback(self) -> None:
        for temporary, _ in self.staged:
            temporary.unlink(missing_ok=True)
        for final in self.placed:
            final.unlink(missing_ok=True)
        for aside, final in self.kept:
            os.replace(aside, final)
        for folder in reversed(self.created_dirs):
            with contextlib.suppress(OSError):  # not ours alone after all
                folder.rmdir()


def _destination(name: str, kind: str) -> Path:
    """Where member `name` goes; unknown or unsafe names mean this is no Pressbox backup."""
    path = PurePosixPath(name)
    unsafe = name.startswith("/") or "\\" in name or any(p in {"", ".", ".."} for p in path.parts)
    if not unsafe and len(path.parts) > 1:
        top, rest = path.parts[0], path.parts[1:]
        if top == "media":
            return media_root().joinpath(*rest)
        if top == "data":
            final = Path(settings.DATA_DIR).joinpath(*rest)
            database = sqlite_files(sqlite_path()) if kind == "sqlite" else []
            if final not in database and media_root() not in final.parents:
                return final
    raise RestoreError(f"The archive holds {name!r}, which no Pressbox backup holds.")


def _unpack(
    archive: _Archive,
    source: Path,
    manifest: dict[str, Any],
    staging: Staging,
    summary: RestoreSummary,
    progress: Progress | None,
) -> Path:
    """Every member staged and checked; the staged database file."""
    kind = manifest["database"]["engine"]
    expected: dict[str, str] | None = None
    sums = {MANIFEST: archive.manifest_sha}
    database: Path | None = None
    total = manifest["files"] + 1
    for member in archive.members():
        if expected is not None:
            raise damaged(source, f"{member.name} follows the checksums")
        if member.isdir():
            continue
        if not member.isfile():
            raise RestoreError(f"The archive holds {member.name!r}, which is not a plain file.")
        if member.name == SUMS:
            expected = _read_sums(archive.read(member), source)
            continue
        if member.name == DATABASE_MEMBERS[kind]:
            database = staging.scratch / PurePosixPath(member.name).name
            if kind == "sqlite":
                database = staging.stage(sqlite_path())
            target = database
        else:
            target = staging.stage(_destination(member.name, kind))
            if member.name.startswith("media/"):
                summary.media_files += 1
            else:
                summary.data_files += 1
                summary.secret_key |= member.name == "data/secret_key"
        sums[member.name] = _write(archive, member, target)
        if progress is not None:
            progress(min(len(sums) - 1, total), total)
    if expected is None:
        raise damaged(source, "it ends before its checksums")
    if expected != sums:
        wrong = sorted(
            name for name in expected.keys() | sums.keys() if expected.get(name) != sums.get(name)
        )
        raise damaged(source, f"{wrong[0]} does not match its checksum")
    if database is None:
        raise damaged(source, "it holds no database")
    if kind == "sqlite":
        try:
            dbdump.sqlite_verify(database)
        except dbdump.DumpError as exc:
            raise damaged(source, str(exc).rstrip(".")) from None
    return database


def _write(archive: _Archive, member: tarfile.TarInfo, target: Path) -> str:
    sha = hashlib.sha256()
    mode = 0o600 if member.name.startswith(("data/", "database/")) else 0o644
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as out:
        for chunk in archive.chunks(member):
            sha.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if member.mtime:
        os.utime(target, (member.mtime, member.mtime))
    return sha.hexdigest()


def _read_sums(raw: bytes, source: Path) -> dict[str, str]:
    found = {}
    for line in raw.decode("utf-8", "replace").splitlines():
        digest, _, name = line.partition("  ")
        if not re.fullmatch(r"[0-9a-f]{64}", digest) or not name:
            raise damaged(source, "its checksums cannot be read")
        found[name] = digest
    return found


# Placing ------------------------------------------------------------------------------


def _place(kind: str, database: Path, staging: Staging, say: Note) -> None:
    """Files first, then the database; any failure is rolled back by `staging`."""
    files = {final for _, final in staging.staged if final != sqlite_path()}
    try:
        staging.place(files)
        if kind == "sqlite":
            for sidecar in sqlite_files(sqlite_path())[1:]:
                sidecar.unlink(missing_ok=True)  # a start-up's empty database may have left them
            staging.place()
            return
        say("Loading the PostgreSQL database (pg_restore).")
        connections[DEFAULT_DB_ALIAS].close()
        dbdump.pg_restore(connections[DEFAULT_DB_ALIAS].settings_dict, database)
    except dbdump.DumpError as exc:
        raise RestoreError(f"{str(exc).rstrip('.')}; nothing was restored.") from None
    except OSError as exc:
        raise RestoreError(
            f"The restored files could not be put in place ({exc.strerror or exc}); "
            "nothing was restored."
        ) from None


def _afterwards(manifest: dict[str, Any], summary: RestoreSummary) -> list[str]:
    """Empty the cache of anything from before, and what the owner should know."""
    notes = []
    try:
        cache.clear()
    except Exception as exc:  # the restore itself succeeded; say so and go on
        notes.append(f"The cache could not be emptied ({type(exc).__name__}); clear it by hand.")
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    if known_migrations() - applied:
        notes.append("The backup predates this Pressbox: run `pressbox migrate` before serving.")
    if not summary.secret_key:
        notes.append(
            "The backup holds no secret key (its site set PRESSBOX_SECRET_KEY or _FILE): set "
            "the same key here, or sessions and the links in emails already sent stop working."
        )
    site = manifest.get("site", {})
    if site.get("time_zone") not in (None, settings.TIME_ZONE):
        notes.append(
            f"The backup's site used PRESSBOX_TIME_ZONE={site['time_zone']} and this one "
            f"uses {settings.TIME_ZONE}: set it the same, or dates in permalinks change."
        )
    return notes
