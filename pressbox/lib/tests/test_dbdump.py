"""PostgreSQL client tools that are missing or too old stop a backup with one sentence,
before anything runs; SQLite copies are checked."""

from __future__ import annotations

import sqlite3

import pytest

from pressbox.lib import dbdump

DB = {"NAME": "blog", "USER": "pressbox", "PASSWORD": "s3cret", "HOST": "127.0.0.1", "PORT": 5432}


def fake_tool(folder, name: str, version: str) -> None:
    script = folder / name
    script.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version} (Debian)'\nexit 0\n")
    script.chmod(0o755)


def test_a_missing_pg_dump_is_named_with_the_package_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(dbdump.DumpError) as error:
        dbdump.pg_dump(DB, tmp_path / "x.pgdump", server_major=15)
    assert str(error.value).startswith("pg_dump is not installed: install the PostgreSQL")


def test_a_pg_dump_older_than_the_server_is_refused(monkeypatch, tmp_path):
    fake_tool(tmp_path, "pg_dump", "13.4")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(dbdump.DumpError) as error:
        dbdump.pg_dump(DB, tmp_path / "x.pgdump", server_major=16)
    assert str(error.value) == (
        "pg_dump 13 cannot dump a PostgreSQL 16 server: install the PostgreSQL client tools "
        "16 or newer."
    )
    assert not (tmp_path / "x.pgdump").exists()


def test_a_pg_restore_older_than_the_dump_is_refused(monkeypatch, tmp_path):
    fake_tool(tmp_path, "pg_restore", "12.1")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(dbdump.DumpError, match="written by pg_dump 15 and pg_restore is 12"):
        dbdump.pg_check_restore_tool(15)


def test_the_password_goes_in_the_environment_not_on_the_command_line():
    env = dbdump.pg_env({**DB, "OPTIONS": {"sslmode": "require"}})
    assert env["PGPASSWORD"] == "s3cret" and env["PGSSLMODE"] == "require"
    assert "s3cret" not in dbdump._dsn(DB)


def test_a_live_sqlite_database_is_copied_whole_and_checked(tmp_path):
    live = sqlite3.connect(tmp_path / "live.sqlite3")
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT)")
    live.execute("INSERT INTO django_migrations (app, name) VALUES ('posts', '0001_initial')")
    live.commit()  # and the connection stays open, as a serving site's would

    dbdump.sqlite_snapshot(tmp_path / "live.sqlite3", tmp_path / "copy.sqlite3")
    live.close()

    assert dbdump.sqlite_verify(tmp_path / "copy.sqlite3") == {"posts": ["0001_initial"]}
    assert not (tmp_path / "copy.sqlite3-wal").exists()


def test_a_corrupt_sqlite_copy_fails_its_check(tmp_path):
    (tmp_path / "bad.sqlite3").write_bytes(b"SQLite format 3\x00" + bytes(4000))
    with pytest.raises(dbdump.DumpError):
        dbdump.sqlite_verify(tmp_path / "bad.sqlite3")
