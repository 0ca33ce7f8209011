"""Is an upload an image we can safely keep? Decided by its content, never its name.

Checks run cheapest first: the byte size, then the header (format and dimensions,
read without decoding pixels, so a small file that claims 100000×100000 pixels is
refused before any memory is allocated for it), then a full decode that finds
truncated or corrupt data. Each failure is one sentence a writer can act on.
"""

from __future__ import annotations

import struct
import warnings
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

# Pillow format -> (MIME type, file extension)
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
NOT_AN_IMAGE = "This file is not an image (JPEG, PNG, GIF or WebP)."
TOO_BIG = "This image is larger than {limit}."
TOO_MANY_PIXELS = "This image is too large to process (over {limit} megapixels)."
DAMAGED = "This image is damaged and cannot be read."
NO_FILE = "Choose an image to upload."
ALT_REQUIRED = "Describe the image for people who cannot see it."
# EXIF orientations that turn the picture a quarter, so width and height swap on screen.
QUARTER_TURNS = {5, 6, 7, 8}


@dataclass(frozen=True)
class ImageInfo:
    format: str  # Pillow's name: JPEG, PNG, GIF, WEBP
    width: int  # as shown, after any EXIF rotation
    height: int
    animated: bool

    @property
    def mime_type(self) -> str:
        return FORMATS[self.format][0]

    @property
    def extension(self) -> str:
        return FORMATS[self.format][1]


def human_size(size: int) -> str:
    """20971520 -> "20 MB" (binary units, as file managers show them)."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


def validate_image(file: IO[bytes], size: int) -> ImageInfo:
    """What `file` holds, or ValidationError with one message when we will not keep it."""
    max_bytes = settings.PRESSBOX_MEDIA_MAX_BYTES
    if size > max_bytes:
        raise ValidationError(TOO_BIG.format(limit=human_size(max_bytes)), code="too_big")
    file.seek(0)
    info = _read_header(file)
    file.seek(0)
    _decode(file, info)
    file.seek(0)
    return info


def _read_header(file: IO[bytes]) -> ImageInfo:
    max_pixels = settings.PRESSBOX_MEDIA_MAX_PIXELS
    too_many = ValidationError(
        TOO_MANY_PIXELS.format(limit=f"{max_pixels / 1_000_000:g}"), code="too_many_pixels"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file, formats=list(FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many from None
    except UnidentifiedImageError:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error):
        raise ValidationError(DAMAGED, code="damaged") from None
    with image:
        width, height = image.size
        if width * height > max_pixels:
            raise too_many
        if width < 1 or height < 1 or image.format not in FORMATS:
            raise ValidationError(NOT_AN_IMAGE, code="not_an_image")
        if _orientation(image) in QUARTER_TURNS:
            width, height = height, width
        return ImageInfo(
            format=image.format,
            width=width,
            height=height,
            animated=bool(getattr(image, "is_animated", False)),
        )


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(0x0112, 1))
    except (OSError, SyntaxError, ValueError, TypeError):
        return 1


def _decode(file: IO[bytes], info: ImageInfo) -> None:
    """verify() checks structure (PNG checksums); load() decodes every pixel of frame one.

    A JPEG is decoded at an eighth of its size: the whole file is still read, so
    truncation shows, for a fraction of the memory.
    """
    try:
        with Image.open(file, formats=[info.format]) as image:
            image.verify()
        file.seek(0)
        with Image.open(file, formats=[info.format]) as image:
            if info.format == "JPEG":
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error):
        raise ValidationError(DAMAGED, code="damaged") from None
