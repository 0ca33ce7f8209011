"""Author avatars: check an image with Pillow, and copy it into media storage once.

A stored avatar is named after the user and a hash of its bytes
(`avatars/maya-3f2a9c01b7de.png`), so a re-import of the same image finds the file
already there and writes nothing, while a changed image gets a new name (browsers
never show a stale copy) and the old file is removed once the import has committed.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from pressbox.accounts.models import AuthorProfile

EXTENSIONS = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp"}
UPLOAD_DIR = "avatars/"
OURS = re.compile(r"^avatars/[\w.@+-]+-[0-9a-f]{12}\.(png|jpg|gif|webp)$")


def image_format(path: Path) -> str | None:
    """Pillow's name for the image's format, or None when it is not an image."""
    try:
        with Image.open(path) as image:
            image.verify()
            return image.format
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


def check_image(path: Path) -> str | None:
    """What is wrong with `path` as an avatar (a phrase), or None when it will do."""
    found = image_format(path)
    if found is None:
        return "is not an image Pillow can read"
    if found not in EXTENSIONS:
        return f"is a {found} image; use PNG, JPEG, GIF or WebP"
    return None


def avatar_store(profile: AuthorProfile, source: Path) -> bool:
    """Point `profile.avatar` at a copy of `source`; True when a file was written."""
    data = source.read_bytes()
    extension = EXTENSIONS[image_format(source) or "PNG"]
    digest = hashlib.sha256(data).hexdigest()[:12]
    name = f"{profile.user.username}-{digest}{extension}"
    target = UPLOAD_DIR + name
    old = profile.avatar.name or ""
    storage = profile.avatar.storage
    if old == target and storage.exists(target):
        return False
    if storage.exists(target) and _same_bytes(storage.open(target), data):
        profile.avatar.name = target
        written = False
    else:
        profile.avatar.save(name, ContentFile(data), save=False)
        written = True
    if old and old != profile.avatar.name and OURS.match(old):
        transaction.on_commit(lambda: storage.delete(old))
    return written


def _same_bytes(stored: File, data: bytes) -> bool:
    with stored:
        return stored.read() == data
