"""A restore that fails while putting files in place takes back what it wrote."""

from __future__ import annotations

import os

import pytest

from pressbox.lib import dbdump, restore


@pytest.fixture
def site(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    settings.DATA_DIR.mkdir()
    (settings.DATA_DIR / "secret_key").write_text("generated at start\n")
    return settings.DATA_DIR


def stage(staging, final, text):
    staged = staging.stage(final)
    staged.write_text(text)


def test_a_failure_half_way_leaves_the_site_as_it_was(site, monkeypatch):
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    with pytest.raises(OSError), restore.Staging() as staging:
        stage(staging, site / "media" / "2024" / "05" / "a.jpg", "image")
        stage(staging, site / "secret_key", "the backup's key\n")
        monkeypatch.setattr(restore.os, "replace", failing_replace)
        staging.place()

    monkeypatch.undo()
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == ["secret_key"]
    assert (site / "secret_key").read_text() == "generated at start\n"


def test_a_failed_pg_restore_takes_the_media_back(site, monkeypatch):
    def pg_restore(db, source):
        raise dbdump.DumpError("pg_restore failed: could not connect.")

    monkeypatch.setattr(dbdump, "pg_restore", pg_restore)
    with pytest.raises(restore.RestoreError) as error, restore.Staging() as staging:
        stage(staging, site / "media" / "a.jpg", "image")
        restore._place("postgresql", site / "dump", staging, print)

    assert str(error.value) == "pg_restore failed: could not connect; nothing was restored."
    assert not (site / "media").exists()
    assert [p.name for p in site.iterdir()] == ["secret_key"]


@pytest.mark.parametrize(
    ("theirs", "ours", "newer"),
    [("0.2.0", "0.1.0", True), ("0.1.0", "0.1.0", False), ("0.10.0", "0.9.3", True),
     ("0.1.0.dev3", "0.1.0", False), ("1.0", "0.9.9", True)],
)  # fmt: skip
def test_versions_compare_by_number(theirs, ours, newer):
    assert (restore.version_key(theirs) > restore.version_key(ours)) is newer
