"""Pixels: strip where a photo was taken, and make the resized variants.

Private by default: phones write the GPS position (and camera serial numbers) into a
photo's EXIF block. The original is kept byte for byte otherwise (no re-encoding, no
quality lost), but its EXIF block is dropped; a JPEG's orientation, the one EXIF tag a
browser needs, is written back alone. The colour profile stays.

Variants: each width in WIDTHS narrower than the original, in the original format and
in WebP, plus a WebP at the original's own width (up to the widest), so browsers that
take WebP never need the heavier original. Animated GIFs (and animated PNG/WebP) get
no variants: a still first frame would silently stop the animation, so they are served
as uploaded.
"""

from __future__ import annotations

import io
import struct
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import Image, ImageOps

WIDTHS = (320, 640, 960, 1280, 1920)
SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "GIF": {"optimize": True},
    "WEBP": {"quality": 80, "method": 4},
}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


# Metadata ---------------------------------------------------------------------------


def strip_metadata(data: bytes, fmt: str) -> bytes:
    """`data` without its EXIF block (JPEG keeps its orientation); other bytes unchanged."""
    try:
        if fmt == "JPEG":
            return _strip_jpeg(data)
        if fmt == "PNG":
            return _strip_png(data)
        if fmt == "WEBP":
            return _strip_webp(data)
    except (IndexError, ValueError, struct.error):
        pass  # an odd but decodable file: keep it as it came rather than refuse it
    return data


def _strip_jpeg(data: bytes) -> bytes:
    """Drop APP1 (EXIF, XMP) and APP13 (IPTC) segments before the image data starts."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    out, pos, orientation = [b"\xff\xd8"], 2, 1
    while pos < len(data):
        if data[pos] != 0xFF:
            raise ValueError("lost the segment chain")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is image data
            out.append(data[pos:])
            break
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        segment = data[pos : pos + 2 + length]
        if marker == 0xE1 and segment[4:10] == b"Exif\x00\x00":
            orientation = _exif_orientation(segment[4:])
        elif marker not in (0xE1, 0xED):
            out.append(segment)
        pos += 2 + length
    if orientation != 1:
        exif = Image.Exif()
        exif[0x0112] = orientation
        payload = exif.tobytes()
        after_jfif = 2 if out[1][:2] == b"\xff\xe0" else 1
        out.insert(after_jfif, b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload)
    return b"".join(out)


def _exif_orientation(payload: bytes) -> int:
    exif = Image.Exif()
    exif.load(payload)
    value = exif.get(0x0112, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _strip_png(data: bytes) -> bytes:
    """Drop eXIf and text chunks (tEXt, zTXt, iTXt: where tools write XMP and GPS)."""
    out, pos = [data[:8]], 8
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if kind not in (b"eXIf", b"tEXt", b"zTXt", b"iTXt"):
            out.append(data[pos:end])
        pos = end
        if kind == b"IEND":
            break
    return b"".join(out)


def _strip_webp(data: bytes) -> bytes:
    """Drop the EXIF and XMP chunks of an extended WebP and clear their flags."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP" or data[12:16] != b"VP8X":
        return data
    chunks, pos = [], 12
    while pos + 8 <= len(data):
        kind = data[pos : pos + 4]
        length = struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        end = pos + 8 + length + (length & 1)
        if kind not in (b"EXIF", b"XMP "):
            chunks.append(bytearray(data[pos:end]))
        pos = end
    chunks[0][8] &= ~0x0C & 0xFF  # VP8X flags: EXIF (0x08) and XMP (0x04)
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


# Variants ---------------------------------------------------------------------------


def variant_plan(width: int, fmt: str) -> list[tuple[int, str]]:
    """(width, Pillow format) of each variant an image `width` pixels wide gets."""
    narrower = [w for w in WIDTHS if w < width]
    plan = [(w, fmt) for w in narrower]
    if fmt != "WEBP":
        plan += [(w, "WEBP") for w in narrower]
        if width <= WIDTHS[-1]:
            plan.append((width, "WEBP"))
    return plan


def write_variants(storage: Storage, name: str) -> list[dict[str, Any]]:
    """Resize the original `name` and save each variant beside it; what was written."""
    with storage.open(name, "rb") as original, Image.open(original) as image:
        fmt = image.format or "JPEG"
        if getattr(image, "is_animated", False):
            return []
        icc = image.info.get("icc_profile")
        upright = ImageOps.exif_transpose(image)
    stem = name.rsplit(".", 1)[0]
    written = []
    for width, out_fmt in variant_plan(upright.width, fmt):
        height = max(1, round(upright.height * width / upright.width))
        resized = _for_format(upright, out_fmt).resize(
            (width, height), Image.Resampling.LANCZOS, reducing_gap=3.0
        )
        data = _encode(resized, out_fmt, icc)
        target = f"{stem}-{width}w.{EXTENSIONS[out_fmt]}"
        if storage.exists(target):
            storage.delete(target)
        saved = storage.save(target, ContentFile(data))
        written.append(
            {
                "width": width,
                "height": height,
                "format": out_fmt.lower(),
                "name": saved,
                "bytes": len(data),
            }
        )
    return written


def _for_format(image: Image.Image, fmt: str) -> Image.Image:
    """A mode the format can store and LANCZOS can resize (palettes become RGB(A))."""
    alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if fmt == "JPEG":
        return image if image.mode in ("RGB", "L", "CMYK") else image.convert("RGB")
    if image.mode in ("RGB", "RGBA") or (fmt == "PNG" and image.mode in ("L", "LA")):
        return image
    return image.convert("RGBA" if alpha else "RGB")


def _encode(image: Image.Image, fmt: str, icc: bytes | None) -> bytes:
    options = dict(SAVE_OPTIONS[fmt])
    if icc and fmt in ("JPEG", "PNG", "WEBP"):
        options["icc_profile"] = icc
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()
