"""Whole Pressbox sites in their own processes, for tests that need several at once.

A `Site` is a data dir and, when the suite runs on PostgreSQL (PRESSBOX_DATABASE_URL
set, as in CI's second pass), a temporary database of its own on the same server,
named after the configured one (`<name>_<label>_<random>`) and dropped afterwards.
Commands run through `.venv/bin/pressbox`, exactly as an owner runs them.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PRESSBOX = str(Path(sys.executable).parent / "pressbox")
SERVER_URL = os.environ.get("PRESSBOX_DATABASE_URL", "")
ON_POSTGRES = SERVER_URL.startswith(("postgres", "pgsql"))


def _admin_connect():
    import psycopg

    parts = urlsplit(SERVER_URL)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
    )


class Site:
    def __init__(self, root: Path, label: str) -> None:
        self.data_dir = root / f"{label}-data"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSBOX_")}
        self.env["PRESSBOX_DATA_DIR"] = str(self.data_dir)
        self.database = ""
        if ON_POSTGRES:
            base = urlsplit(SERVER_URL).path.lstrip("/") or "pressbox"
            self.database = f"{base}_{label}_{secrets.token_hex(3)}"[:63]
            with _admin_connect() as admin:
                admin.execute(f'CREATE DATABASE "{self.database}"')
            parts = urlsplit(SERVER_URL)
            self.env["PRESSBOX_DATABASE_URL"] = urlunsplit(parts._replace(path=self.database))

    def drop(self) -> None:
        if self.database:
            with _admin_connect() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def run(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [PRESSBOX, *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, f"pressbox {' '.join(args)}:\n{result.stderr}"
        return result.stdout

    def python(self, code: str) -> object:
        """Run `code` in `pressbox shell`; it leaves its answer in `result` (JSON-able)."""
        script = f"import json\nresult = None\n{code}\nprint('\\nRESULT ' + json.dumps(result))"
        out = self.ok("shell", "--no-imports", "-c", script)
        return json.loads(out.rsplit("\nRESULT ", 1)[1])

    def popen(self, *args: str, **kwargs) -> subprocess.Popen[str]:
        return subprocess.Popen([PRESSBOX, *args], env=self.env, text=True, **kwargs)

    def is_empty(self) -> bool:
        """No tables in the database, no media, nothing in the data dir but what a start
        creates (the secret key, static and cache folders)."""
        tables = self.python(
            "from django.db import connection\nresult = connection.introspection.table_names()"
        )
        files = [
            p.relative_to(self.data_dir).as_posix()
            for p in self.data_dir.rglob("*")
            if p.is_file() and p.parts[len(self.data_dir.parts)] not in {"static", "cache"}
        ]
        files = [f for f in files if f not in {"secret_key", "pressbox.sqlite3"}]
        return tables == [] and files == []

    def media(self) -> dict[str, bytes]:
        root = self.data_dir / "media"
        return {
            p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
        }


def rewrite_archive(source: Path, target: Path, change) -> Path:
    """A copy of the backup `source` whose manifest `change(manifest)` edits in place,
    with its checksums made right again (so only the edit is wrong)."""
    import hashlib
    import io
    import tarfile

    members: list[tuple[tarfile.TarInfo, bytes]] = []
    with tarfile.open(source) as tar:
        for member in tar:
            data = tar.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
            members.append((member, data))
    sums = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {member.name}\n"
        for member, data in members
        if member.name != "SHA256SUMS"
    ).encode()
    with tarfile.open(target, "w:gz") as tar:
        for member, data in members:
            data = sums if member.name == "SHA256SUMS" else data
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    return target
