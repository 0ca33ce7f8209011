"""`pressbox backup FILE` refuses bad input with one sentence and leaves FILE alone."""

from __future__ import annotations

import pytest

from pressbox.tests.backup.sites import Site


@pytest.fixture
def blank(tmp_path):
    site = Site(tmp_path, "blank")
    yield site
    site.drop()


def refused(site: Site, *args: str) -> str:
    result = site.run("backup", *args)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_missing_folder_is_named(source, tmp_path):
    message = refused(source, str(tmp_path / "no" / "such" / "site.tar.gz"))
    assert f"The folder {tmp_path / 'no' / 'such'} does not exist." in message


def test_a_folder_is_not_a_file_name(source, tmp_path):
    assert "is a folder: name the archive file to write" in refused(source, str(tmp_path))


def test_a_site_never_migrated_has_nothing_to_back_up(blank, tmp_path):
    assert "run `pressbox migrate` first" in refused(blank, str(tmp_path / "x.tar.gz"))
    assert list(tmp_path.glob("*.tar.gz")) == []
    assert list(tmp_path.glob(".pressbox-*")) == []


def test_a_new_backup_replaces_the_old_file_whole(source, tmp_path):
    target = tmp_path / "site.tar.gz"
    target.write_bytes(b"last week's backup")
    assert "Wrote" in source.ok("backup", str(target))
    assert target.read_bytes()[:2] == b"\x1f\x8b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site.tar.gz"]


def test_a_backup_inside_the_data_dir_is_refused(source):
    message = refused(source, str(source.data_dir / "site.tar.gz"))
    assert "is inside the data dir, so the next backup would hold this one" in message
    assert not (source.data_dir / "site.tar.gz").exists()
