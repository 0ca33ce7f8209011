"""pressbox.media.validation: an upload is judged by its content, never its name."""

import io
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from pressbox.media.tests.helpers import image_bytes, png_claiming
from pressbox.media.validation import human_size, validate_image


def check(data: bytes):
    return validate_image(io.BytesIO(data), size=len(data))


def refusal(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        check(data)
    return caught.value.messages


@pytest.mark.parametrize(
    ("fmt", "mime"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("GIF", "image/gif"), ("WEBP", "image/webp")],
)
def test_jpeg_png_gif_and_webp_are_accepted_with_their_size(fmt, mime):
    info = check(image_bytes(fmt, size=(640, 480)))
    assert (info.format, info.mime_type, info.width, info.height) == (fmt, mime, 640, 480)


def test_text_file_is_not_an_image_whatever_its_name():
    assert refusal(b"Leg day notes: squat 5x5, rows 3x8.\n" * 20) == [
        "This file is not an image (JPEG, PNG, GIF or WebP)."
    ]


def test_image_in_another_format_is_refused_as_not_an_image():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "BMP")
    assert refusal(buffer.getvalue()) == ["This file is not an image (JPEG, PNG, GIF or WebP)."]


def test_decompression_bomb_is_refused_from_its_header_without_allocating_pixels():
    data = png_claiming(100_000, 100_000)
    assert len(data) < 200
    tracemalloc.start()
    try:
        messages = refusal(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert messages == ["This image is too large to process (over 50 megapixels)."]
    assert peak < 5 * 1024 * 1024


def test_image_just_over_the_pixel_limit_is_refused(settings):
    settings.PRESSBOX_MEDIA_MAX_PIXELS = 10_000
    assert refusal(image_bytes("PNG", size=(101, 100))) == [
        "This image is too large to process (over 0.01 megapixels)."
    ]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_truncated_image_is_damaged(fmt):
    data = image_bytes(
        fmt, size=(400, 300), color=(10, 120, 200), **({"quality": 95} if fmt == "JPEG" else {})
    )
    assert refusal(data[: len(data) * 2 // 3]) == ["This image is damaged and cannot be read."]


def test_image_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.PRESSBOX_MEDIA_MAX_BYTES = 1024
    assert refusal(image_bytes("PNG", size=(300, 300), color=None) + b"\0" * 2048) == [
        "This image is larger than 1 KB."
    ]


def test_default_size_limit_reads_as_20_mb(settings):
    assert human_size(settings.PRESSBOX_MEDIA_MAX_BYTES) == "20 MB"


def test_photo_turned_by_exif_reports_its_size_as_shown():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to show
    info = check(image_bytes("JPEG", size=(1200, 800), exif=exif.tobytes()))
    assert (info.width, info.height) == (800, 1200)
