"""Copying the database out of a live site and back in, for `backup` and `restore`.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies the whole file in
one step, inside one read transaction. In WAL mode writers go on meanwhile and the copy
is the database as it was when the step began, so it is consistent however busy the
site is; copying page by page instead would start over after every write.

PostgreSQL: `pg_dump --format=custom` (one snapshot, the server keeps serving) and
`pg_restore --single-transaction` (all or nothing). The client tools must be at least
the server's major version for pg_dump, and the dump's for pg_restore; both are
checked first, so a mismatch is one sentence and not a half-done run.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote


class DumpError(Exception):
    """The database cannot be copied out or in; the message is one sentence."""


Migrations = dict[str, list[str]]


# SQLite ---------------------------------------------------------------------------------


def _sqlite_uri(path: Path, mode: str) -> str:
    return f"file:{quote(str(path))}?mode={mode}"


def sqlite_snapshot(source: Path, target: Path) -> None:
    """Copy the live database `source` to the new file `target`, consistently."""
    if not source.is_file():
        raise DumpError(f"There is no database at {source}: run `pressbox migrate` first.")
    try:
        src = sqlite3.connect(_sqlite_uri(source, "rw"), uri=True, timeout=20)
    except sqlite3.Error as exc:
        raise DumpError(f"The database {source} cannot be opened ({exc}).") from None
    with closing(src), closing(sqlite3.connect(target)) as dst:
        try:
            src.backup(dst)  # pages=-1: in one step, so concurrent writes cannot restart it
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        except sqlite3.Error as exc:
            raise DumpError(f"The database {source} could not be copied ({exc}).") from None


def sqlite_verify(path: Path) -> Migrations:
    """The migrations recorded in a SQLite copy, after its integrity check passes."""
    try:
        with closing(sqlite3.connect(_sqlite_uri(path, "ro"), uri=True)) as db:
            (verdict,) = db.execute("PRAGMA integrity_check(1)").fetchone()
            if verdict != "ok":
                raise DumpError(f"The database copy fails its integrity check ({verdict}).")
            if not db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone():
                raise DumpError(
                    "The database has no Pressbox tables: run `pressbox migrate` first."
                )
            rows = db.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    except sqlite3.Error as exc:
        raise DumpError(f"The database copy cannot be read ({exc}).") from None
    return migrations_dict(rows)


def sqlite_is_empty(path: Path) -> bool:
    """True when `path` is missing or holds no tables (a file a start-up created)."""
    if not path.exists():
        return True
    try:
        with closing(sqlite3.connect(_sqlite_uri(path, "ro"), uri=True)) as db:
            (count,) = db.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()
    except sqlite3.Error:
        return False  # not a database we may overwrite
    return bool(count == 0)


def migrations_dict(rows: list[tuple[str, str]]) -> Migrations:
    found: Migrations = {}
    for app, name in rows:
        found.setdefault(app, []).append(name)
    return found


# PostgreSQL -----------------------------------------------------------------------------

# Connection options dj-database-url may set that libpq also reads from the environment.
PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
}


def pg_env(db: Mapping[str, Any]) -> dict[str, str]:
    """The environment for a client tool: the password never goes on a command line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    for option, name in PG_OPTIONS.items():
        if option in db.get("OPTIONS", {}):
            env[name] = str(db["OPTIONS"][option])
    return env


def pg_tool(name: str) -> tuple[str, int]:
    """The path and major version of a PostgreSQL client tool."""
    path = shutil.which(name)
    if path is None:
        raise DumpError(
            f"{name} is not installed: install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client) of the server's version or newer."
        )
    try:
        output = subprocess.run(  # noqa: S603
            [path, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise DumpError(f"{path} --version did not answer ({exc}).") from None
    found = re.search(r"\)\s*(\d+)", output) or re.search(r"(\d+)\.\d+", output)
    if found is None:
        raise DumpError(f"{path} --version printed no version: {output.strip()!r}.")
    return path, int(found[1])


def pg_dump(db: Mapping[str, Any], target: Path, *, server_major: int) -> int:
    """Dump the database to `target` (custom format); the pg_dump major version used."""
    path, major = pg_tool("pg_dump")
    if major < server_major:
        raise DumpError(
            f"pg_dump {major} cannot dump a PostgreSQL {server_major} server: install the "
            f"PostgreSQL client tools {server_major} or newer."
        )
    argv = [path, "--format=custom", f"--file={target}", "--dbname", _dsn(db)]
    _run(argv, db, "pg_dump")
    return major


def pg_restore(db: Mapping[str, Any], source: Path) -> None:
    """Load a custom-format dump into the (empty) database, in one transaction."""
    path, _ = pg_tool("pg_restore")
    argv = [
        path,
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        "--dbname",
        _dsn(db),
        str(source),
    ]
    _run(argv, db, "pg_restore")


def pg_check_restore_tool(dump_major: int) -> None:
    """pg_restore reads dumps of its own major version and older only."""
    _, major = pg_tool("pg_restore")
    if major < dump_major:
        raise DumpError(
            f"This backup was written by pg_dump {dump_major} and pg_restore is {major}: "
            f"install the PostgreSQL client tools {dump_major} or newer."
        )


def _dsn(db: Mapping[str, Any]) -> str:
    """The database name as a conninfo string (so a name with `=` is not misread)."""
    name = str(db["NAME"]).replace("\\", "\\\\").replace("'", "\\'")
    return f"dbname='{name}'"


def _run(argv: list[str], db: Mapping[str, Any], tool: str) -> None:
    result = subprocess.run(argv, env=pg_env(db), capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        detail = lines[-1].strip() if lines else f"exit status {result.returncode}"
        detail = detail.removeprefix(f"{tool}: ").removeprefix("error: ")
        raise DumpError(f"{tool} failed: {detail.rstrip('.')}.")
