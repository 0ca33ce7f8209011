"""/dashboard/media/upload/: the file picker and alt text form."""

from pathlib import Path

import pytest

from pressbox.accounts.roles import Role
from pressbox.media.models import Media
from pressbox.media.tests.helpers import image_bytes, person, png_claiming, upload

ALT = "A loaded barbell on a squat rack"


def signed_in(client, role=Role.CONTRIBUTOR):
    user = person(role)
    client.force_login(user)
    return user


def test_form_asks_for_the_image_and_its_alt_text(client, db):
    signed_in(client)
    html = client.get("/dashboard/media/upload/").text
    assert 'enctype="multipart/form-data"' in html
    assert 'accept="image/jpeg,image/png,image/gif,image/webp"' in html
    assert '<label for="id_alt_text">Alt text' in html


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_upload_and_lands_on_the_new_image(client, db, settings, role):
    user = signed_in(client, role)
    response = client.post(
        "/dashboard/media/upload/", {"file": upload(image_bytes()), "alt_text": ALT}
    )
    media = Media.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/media/{media.pk}/"
    assert (media.alt_text, media.uploaded_by) == (ALT, user)
    assert (Path(settings.MEDIA_ROOT) / media.file.name).is_file()


def test_missing_alt_text_is_asked_for_and_nothing_is_stored(client, db, settings):
    signed_in(client)
    response = client.post(
        "/dashboard/media/upload/", {"file": upload(image_bytes()), "title": "Rack", "alt_text": ""}
    )
    assert response.status_code == 200
    assert "Describe the image for people who cannot see it." in response.text
    assert 'value="Rack"' in response.text
    assert not Media.objects.exists()
    assert not Path(settings.MEDIA_ROOT).exists() or not list(
        Path(settings.MEDIA_ROOT).rglob("*.*")
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"squat 5x5\n" * 100, "This file is not an image (JPEG, PNG, GIF or WebP)."),
        (
            png_claiming(100_000, 100_000),
            "This image is too large to process (over 50 megapixels).",
        ),
        (image_bytes("PNG")[:300], "This image is damaged and cannot be read."),
    ],
    ids=["text file named .jpg", "decompression bomb", "truncated"],
)
def test_bad_file_gets_one_clear_message_and_the_alt_text_is_kept(client, db, data, message):
    signed_in(client)
    response = client.post(
        "/dashboard/media/upload/", {"file": upload(data, "rack.jpg"), "alt_text": ALT}
    )
    assert response.status_code == 200
    assert response.text.count(message) == 2  # in the summary and beside the field
    assert f'value="{ALT}"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert not Media.objects.exists()


def test_image_over_the_size_limit_is_refused(client, db, settings):
    settings.PRESSBOX_MEDIA_MAX_BYTES = 2048
    signed_in(client)
    response = client.post(
        "/dashboard/media/upload/",
        {"file": upload(image_bytes(size=(600, 600), quality=100)), "alt_text": ALT},
    )
    assert "This image is larger than 2 KB." in response.text
    assert not Media.objects.exists()


def test_no_file_chosen_is_asked_for(client, db):
    signed_in(client)
    response = client.post("/dashboard/media/upload/", {"alt_text": ALT})
    assert "Choose an image to upload." in response.text
    assert not Media.objects.exists()
