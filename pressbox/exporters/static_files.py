"""The files of a static export: the manifest of what it wrote, written and copied
atomically (a temporary file renamed over the old one), and pruned when gone."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pressbox.exporters.static import StaticOptions

MANIFEST_NAME = ".pressbox-static.json"
MANIFEST_VERSION = 1
FILE_MODE = 0o644


def walk(root: Path) -> Iterator[Path]:
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            yield Path(folder) / name


def read_manifest(target: Path) -> dict[str, str]:
    try:
        data = json.loads((target / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return {}
    files = data.get("files")
    if not isinstance(files, dict):
        return {}
    # Only relative names inside the folder: a hand-edited manifest deletes nothing else.
    return {
        name: value for name, value in files.items() if isinstance(value, str) and _inside(name)
    }


def _inside(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def write_manifest(target: Path, options: StaticOptions, files: dict[str, str]) -> None:
    data: dict[str, Any] = {
        "version": MANIFEST_VERSION,
        "base_url": options.base_url,
        "comments_url": options.comments_url,
        "files": dict(sorted(files.items())),
    }
    body = json.dumps(data, indent=0, ensure_ascii=False).encode()
    path = target / MANIFEST_NAME
    with contextlib.suppress(OSError):
        if path.read_bytes() == body:
            return
    atomic_write(path, body)


def atomic_write(path: Path, body: bytes) -> None:
    def fill(temp: str, handle: int) -> None:
        with os.fdopen(handle, "wb") as out:
            out.write(body)

    _atomic(path, fill)


def atomic_copy(source: Path, path: Path) -> None:
    def fill(temp: str, handle: int) -> None:
        os.close(handle)
        shutil.copy2(source, temp)

    _atomic(path, fill)


def _atomic(path: Path, fill: Callable[[str, int], None]) -> None:
    """`fill` writes a temporary file beside `path`, which then replaces `path` whole."""
    prefix = f".{path.name[:50]}."
    try:
        handle, temp = tempfile.mkstemp(prefix=prefix, dir=path.parent)
    except FileNotFoundError:  # the folder first (not before each file: a slow syscall)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=prefix, dir=path.parent)
    try:
        fill(temp, handle)
        os.chmod(temp, FILE_MODE)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def prune_empty(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
