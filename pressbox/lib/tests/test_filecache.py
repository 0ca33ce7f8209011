"""The default file cache keeps values as plain pickles and reads Django's own files."""

import pickle
import zlib

import pytest
from django.core.cache.backends.filebased import FileBasedCache

from pressbox.lib.filecache import FileCache


@pytest.fixture
def caches(tmp_path):
    return FileCache(str(tmp_path), {}), FileBasedCache(str(tmp_path), {})


def test_a_page_is_stored_as_it_is_and_read_back(caches):
    ours, _ = caches
    page = {"content": b"<p>" * 20_000, "status": 200}
    ours.set("page", page, 60)
    assert ours.get("page") == page
    (stored,) = [p for p in ours._list_cache_files()]
    with open(stored, "rb") as f:
        pickle.load(f)  # the expiry
        assert pickle.load(f) == page  # not inflated first


def test_entries_written_by_djangos_compressing_backend_still_read(caches):
    ours, djangos = caches
    djangos.set("old", {"kept": True}, 60)
    assert ours.get("old") == {"kept": True}
    (stored,) = ours._list_cache_files()
    with open(stored, "rb") as f:
        pickle.load(f)
        assert zlib.decompress(f.read())  # it really was compressed


def test_expiry_touch_counters_and_deletion_behave_as_djangos(caches):
    ours, _ = caches
    ours.set("gone", 1, -1)
    assert ours.get("gone", "missing") == "missing"
    ours.set("n", 1, 60)
    assert ours.incr("n", 4) == 5
    assert ours.touch("n", 120)
    assert ours.get("n") == 5
    assert ours.add("n", 9) is False
    ours.delete("n")
    assert ours.get("n") is None
    assert ours.touch("n") is False


def test_touching_an_expired_entry_says_so_without_failing(caches):
    ours, _ = caches
    ours.set("old", 1, -1)
    assert ours.touch("old", 60) is False
    assert ours.get("old") is None


def test_an_entry_converted_from_djangos_format_by_touch_reads_back(caches):
    ours, djangos = caches
    djangos.set("n", 7, 60)
    assert ours.touch("n", 120)
    assert ours.get("n") == 7
