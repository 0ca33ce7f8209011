"""media_upload(): checked by content, stored under a safe name, variants queued."""

import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult
from PIL import Image

from pressbox.media.models import Media
from pressbox.media.services import media_upload
from pressbox.media.tests.helpers import image_bytes, person, upload

ALT = "A loaded barbell on a squat rack"


def test_jpeg_is_stored_with_its_type_size_and_a_safe_name(db, settings):
    data = image_bytes("JPEG", size=(1200, 800))
    media = media_upload(file=upload(data, "My Squat Rack!! (1).JPG"), alt_text=ALT, by=None)

    stored = Media.objects.get()
    assert stored == media
    assert re.fullmatch(r"uploads/\d{4}/\d{2}/my-squat-rack-1-[0-9a-f]{8}\.jpg", stored.file.name)
    assert (stored.mime_type, stored.width, stored.height) == ("image/jpeg", 1200, 800)
    assert stored.size == (Path(settings.MEDIA_ROOT) / stored.file.name).stat().st_size
    assert (stored.alt_text, stored.title) == (ALT, "My Squat Rack!! (1)")


def test_name_and_extension_come_from_the_content_not_the_upload(db):
    media = media_upload(
        file=upload(image_bytes("PNG"), "../../etc/passwd.jpg"), alt_text=ALT, by=None
    )
    assert re.fullmatch(r"uploads/\d{4}/\d{2}/passwd-[0-9a-f]{8}\.png", media.file.name)
    assert media.mime_type == "image/png"


def test_uploader_is_recorded(db):
    writer = person("author")
    media = media_upload(file=upload(image_bytes()), alt_text=ALT, by=writer)
    assert Media.objects.get(pk=media.pk).uploaded_by == writer


def test_text_file_named_jpg_is_refused_and_nothing_is_stored(db, settings):
    with pytest.raises(ValidationError) as caught:
        media_upload(file=upload(b"not a picture\n" * 50, "rack.jpg"), alt_text=ALT, by=None)
    assert caught.value.message_dict == {
        "file": ["This file is not an image (JPEG, PNG, GIF or WebP)."]
    }
    assert not Media.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_alt_text_is_required(db, settings):
    with pytest.raises(ValidationError) as caught:
        media_upload(file=upload(image_bytes()), alt_text="   ", by=None)
    assert caught.value.message_dict == {
        "alt_text": ["Describe the image for people who cannot see it."]
    }
    assert not Media.objects.exists()


def test_gps_position_is_stripped_but_orientation_kept(db, settings):
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)  # GPSLatitude
    data = image_bytes("JPEG", size=(1200, 800), exif=exif.tobytes())
    assert b"PhoneMaker" in data

    media = media_upload(file=upload(data), alt_text=ALT, by=None)

    stored = (Path(settings.MEDIA_ROOT) / media.file.name).read_bytes()
    assert b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert dict(image.getexif()) == {0x0112: 6}
        assert image.getexif().get_ifd(0x8825) == {}
        assert image.size == (1200, 800)
    assert (media.width, media.height) == (800, 1200)


def test_pixels_of_the_original_are_kept_exactly(db, settings):
    data = image_bytes("PNG", size=(300, 200))
    media = media_upload(file=upload(data, "chart.png"), alt_text=ALT, by=None)
    assert (Path(settings.MEDIA_ROOT) / media.file.name).read_bytes() == data


def test_variants_are_queued_once_the_upload_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        media = media_upload(file=upload(image_bytes()), alt_text=ALT, by=None)
        assert not DBTaskResult.objects.exists()

    task = DBTaskResult.objects.get()
    assert task.task_path == "pressbox.media.tasks.make_variants"
    assert task.args_kwargs == {"args": [media.pk], "kwargs": {}}


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_exif_of_png_and_webp_is_stripped_and_the_file_still_decodes(db, settings, fmt):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    data = image_bytes(fmt, size=(300, 200), exif=exif.tobytes())
    assert b"PhoneMaker" in data

    media = media_upload(file=upload(data, f"shot.{fmt.lower()}"), alt_text=ALT, by=None)

    stored = (Path(settings.MEDIA_ROOT) / media.file.name).read_bytes()
    assert b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        image.load()
        assert image.size == (300, 200)
        assert dict(image.getexif()) == {}
