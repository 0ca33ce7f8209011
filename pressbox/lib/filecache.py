"""The default cache: Django's file cache, keeping its values as plain pickles.

Django's `FileBasedCache` zlib-compresses every value it stores. The page cache's
entries are pages already compressed with brotli or gzip, or kept as rendered for the
readers who ask for no encoding, so inflating them again on every hit was half of a
cached page's cost (0.12 ms of 0.25 ms per hit for a 60 KB page; issue 7). This backend
stores the pickle as it is and reads files the compressing backend wrote before it
(a zlib stream starts with 0x78, a pickle with 0x80), so an upgrade loses nothing.

Everything else (expiry, culling past MAX_ENTRIES, atomic renames, locking) is Django's.
"""

from __future__ import annotations

import pickle
import zlib
from typing import IO, Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

ZLIB_HEADER = b"\x78"


def _load(data: bytes) -> Any:
    if data[:1] == ZLIB_HEADER:  # written by Django's compressing backend
        data = zlib.decompress(data)
    return pickle.loads(data)  # noqa: S301  (our own files, in our own directory)


class FileCache(FileBasedCache):
    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        fname = self._key_to_file(key, version)  # type: ignore[attr-defined]
        try:
            with open(fname, "rb") as f:
                if not self._is_expired(f):  # type: ignore[attr-defined]
                    return _load(f.read())
        except FileNotFoundError:
            pass
        return default

    def _write_content(self, file: IO[bytes], timeout: Any, value: Any) -> None:
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        fname = self._key_to_file(key, version)  # type: ignore[attr-defined]
        try:
            with open(fname, "r+b") as f:
                try:
                    locks.lock(f, locks.LOCK_EX)
                    if self._is_expired(f):  # type: ignore[attr-defined]
                        return False
                    previous_value = _load(f.read())
                    # Rewritten in place, as Django does, never truncated first: a
                    # reader in between would find it empty and delete it as expired.
                    # (A shorter value leaves old bytes after it, which unpickling
                    # ignores.)
                    f.seek(0)
                    self._write_content(f, timeout, previous_value)
                    return True
                finally:
                    if not f.closed:  # _is_expired closes an expired file
                        locks.unlock(f)
        except FileNotFoundError:
            return False
