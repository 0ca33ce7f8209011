"""`pressbox restore FILE` refuses bad input with one sentence and writes nothing."""

from __future__ import annotations

import io
import tarfile

import pytest

from pressbox.tests.backup.sites import ON_POSTGRES, Site, rewrite_archive


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    """One empty site for every refusal below: each must leave it empty."""
    site = Site(tmp_path_factory.mktemp("empty"), "empty")
    yield site
    site.drop()


def refused(site: Site, path) -> str:
    result = site.run("restore", str(path))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_missing_file_is_named(empty, tmp_path):
    assert "nothing.tar.gz does not exist." in refused(empty, tmp_path / "nothing.tar.gz")


def test_a_file_that_is_not_an_archive_is_refused(empty, tmp_path):
    (tmp_path / "notes.txt").write_text("my backup\n")
    message = refused(empty, tmp_path / "notes.txt")
    assert "is not a Pressbox backup (not a .tar.gz archive)" in message


def test_an_archive_without_a_manifest_is_refused(empty, tmp_path):
    with tarfile.open(tmp_path / "other.tar.gz", "w:gz") as tar:
        info = tarfile.TarInfo("hello.txt")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"hello"))
    assert "is an archive but not a Pressbox backup" in refused(empty, tmp_path / "other.tar.gz")


def test_a_damaged_archive_restores_nothing_and_the_site_stays_empty(empty, archive, tmp_path):
    data = bytearray(archive.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    (tmp_path / "damaged.tar.gz").write_bytes(bytes(data))

    message = refused(empty, tmp_path / "damaged.tar.gz")
    assert "is damaged" in message and "nothing was restored" in message
    assert empty.is_empty()


def test_a_cut_short_archive_restores_nothing(empty, archive, tmp_path):
    data = archive.read_bytes()
    (tmp_path / "short.tar.gz").write_bytes(data[: len(data) * 3 // 4])

    assert "is damaged" in refused(empty, tmp_path / "short.tar.gz")
    assert empty.is_empty()


def test_a_backup_from_a_newer_pressbox_is_refused(empty, archive, tmp_path):
    def newer(manifest):
        manifest["pressbox_version"] = "99.0.0"

    path = rewrite_archive(archive, tmp_path / "newer.tar.gz", newer)
    message = refused(empty, path)
    assert "was made by Pressbox 99.0.0, newer than this one" in message
    assert "upgrade Pressbox" in message


def test_a_backup_with_unknown_database_changes_is_refused(empty, archive, tmp_path):
    def ahead(manifest):
        manifest["migrations"]["posts"].append("9999_from_the_future")

    message = refused(empty, rewrite_archive(archive, tmp_path / "ahead.tar.gz", ahead))
    assert "database changes this Pressbox does not know (posts.9999_from_the_future)" in message


def test_a_backup_of_the_other_database_engine_is_refused(empty, archive, tmp_path):
    other = "sqlite" if ON_POSTGRES else "postgresql"

    def swap(manifest):
        manifest["database"]["engine"] = other

    message = refused(empty, rewrite_archive(archive, tmp_path / "other.tar.gz", swap))
    if ON_POSTGRES:
        assert "holds a SQLite database but this site uses PostgreSQL" in message
    else:
        assert "holds a PostgreSQL database but this site uses SQLite" in message


def test_a_site_that_is_not_empty_is_left_alone(source, archive):
    before = source.media()
    message = refused(source, archive)
    assert message.startswith("CommandError: Restore needs an empty site, but the database")
    assert source.media() == before


def test_the_empty_site_takes_a_good_backup_after_all_those_refusals(empty, archive):
    assert empty.is_empty()
    assert "Restored the backup of" in empty.ok("restore", str(archive))
    assert not empty.is_empty()
