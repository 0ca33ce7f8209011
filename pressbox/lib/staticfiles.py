"""Static files with hashed names and gzip and brotli copies, compressed once (issue 7).

whitenoise's CompressedManifestStaticFilesStorage compresses every file again at each
collectstatic, which `pressbox serve` runs at every start, the hashed copy and the
original alike: with brotli at its best quality, that is 5 s of CPU for the theme and
Django admin's scripts (measured on this 2-core machine). Here a file whose compressed
copies are already there is skipped: a hashed name always holds the same bytes, and
for the others whitenoise gives the copies the source's modification time, which
collectstatic leaves alone when a file has not changed. Bytes already compressed in
this run (a hashed copy holds its original's) are compressed once.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from concurrent.futures import Future
from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")  # theme.3f2a9c1b7d4e.css


class OnceCompressor(Compressor):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.done: dict[tuple[str, bytes], Future[bytes]] = {}
        self.lock = threading.Lock()

    def compress(self, path: str) -> list[str]:
        try:
            return self.compress_once(path)
        except FileNotFoundError:
            # Another `pressbox serve` collecting into the same folder at the same
            # moment replaced the file (collectstatic deletes a hashed copy before
            # saving it again); that run compresses it.
            return []

    def compress_once(self, path: str) -> list[str]:
        source = os.stat(path)
        suffixes = [s for s, on in ((".br", self.use_brotli), (".gz", self.use_gzip)) if on]
        # A hashed name is its content's (collectstatic rewrites some each run, with a
        # new time but the same bytes); any other file must not have changed since.
        hashed = HASHED.search(os.path.basename(path)) is not None
        if suffixes and all(kept(path + suffix, source, hashed) for suffix in suffixes):
            return [path + suffix for suffix in suffixes]
        return super().compress(path)

    def compress_brotli(self, data: bytes) -> bytes:  # type: ignore[override]
        return self.once("br", data, Compressor.compress_brotli)

    def compress_gzip(self, data: bytes) -> bytes:  # type: ignore[override]
        return self.once("gzip", data, Compressor.compress_gzip)

    def once(self, kind: str, data: bytes, compress: Any) -> bytes:
        """Compress these bytes once, however many files (and threads) hold them."""
        key = (kind, hashlib.sha256(data).digest())
        with self.lock:
            pending = self.done.get(key)
            mine = pending is None
            if pending is None:
                pending = self.done[key] = Future()
        if mine:
            try:
                pending.set_result(compress(data))
            except BaseException as exc:
                pending.set_exception(exc)
        return pending.result()


def kept(compressed: str, source: os.stat_result, hashed: bool) -> bool:
    """Whether a compressed copy from an earlier run is still this file's."""
    try:
        found = os.stat(compressed)
    except OSError:
        return False
    return hashed or abs(found.st_mtime - source.st_mtime) < 0.001


class CompressedOnceStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs: Any) -> Compressor:
        return OnceCompressor(**kwargs)
