"""Images made in memory with Pillow, hand-built bad files, and people with roles."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pressbox.accounts.factories import UserFactory
from pressbox.accounts.roles import role_assign

MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


def image_bytes(fmt="JPEG", size=(1200, 800), color=(200, 60, 40), **options) -> bytes:
    mode = "RGB" if fmt != "GIF" else "P"
    image = Image.new("RGB", size, color)
    if mode == "P":
        image = image.convert("P")
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def animated_gif(size=(800, 600)) -> bytes:
    frames = [Image.new("RGB", size, color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    return buffer.getvalue()


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def png_claiming(width: int, height: int) -> bytes:
    """A small, valid-looking PNG whose header claims width × height pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


def upload(data: bytes, name="squat-rack.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def person(role: str | None, **fields):
    """A user with `role` (None: signed in but no role on this site)."""
    user = UserFactory(**fields)
    if role:
        role_assign(user=user, role=role)
    return user
