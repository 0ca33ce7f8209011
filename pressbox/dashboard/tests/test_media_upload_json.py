"""/dashboard/media/upload/json/: what drag-and-drop in the editor posts to."""

from pathlib import Path

from django.test import Client

from pressbox.accounts.roles import Role
from pressbox.media.models import Media
from pressbox.media.tests.helpers import image_bytes, person, upload


def test_dropped_image_is_stored_and_its_markdown_returned(client, db, settings):
    client.force_login(person(Role.CONTRIBUTOR))
    response = client.post(
        "/dashboard/media/upload/json/",
        {
            "file": upload(image_bytes("PNG", size=(800, 600)), "rack.png"),
            "alt_text": "A [red] rack",
        },
    )
    media = Media.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": media.pk,
        "url": f"/media/{media.file.name}",
        "markdown": f"![A \\[red\\] rack](/media/{media.file.name})",
        "width": 800,
        "height": 600,
    }
    assert (Path(settings.MEDIA_ROOT) / media.file.name).is_file()


def test_bad_file_answers_400_with_one_error(client, db):
    client.force_login(person(Role.AUTHOR))
    response = client.post(
        "/dashboard/media/upload/json/", {"file": upload(b"hello" * 99, "x.jpg"), "alt_text": "X"}
    )
    assert response.status_code == 400
    assert response.json() == {"error": "This file is not an image (JPEG, PNG, GIF or WebP)."}
    assert not Media.objects.exists()


def test_missing_alt_text_answers_400(client, db):
    client.force_login(person(Role.AUTHOR))
    response = client.post("/dashboard/media/upload/json/", {"file": upload(image_bytes())})
    assert response.status_code == 400
    assert response.json() == {"error": "Describe the image for people who cannot see it."}


def test_post_without_the_csrf_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person(Role.EDITOR))
    response = client.post(
        "/dashboard/media/upload/json/", {"file": upload(image_bytes()), "alt_text": "Rack"}
    )
    assert response.status_code == 403
    assert not Media.objects.exists()


def test_post_with_the_csrf_header_is_accepted(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person(Role.EDITOR))
    client.get("/dashboard/media/")  # sets the csrftoken cookie, as any dashboard page does
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/dashboard/media/upload/json/",
        {"file": upload(image_bytes()), "alt_text": "Rack"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201
    assert Media.objects.count() == 1


def test_get_is_not_allowed(client, db):
    client.force_login(person(Role.AUTHOR))
    assert client.get("/dashboard/media/upload/json/").status_code == 405


def test_person_without_a_role_cannot_upload(client, db):
    client.force_login(person(None))
    response = client.post(
        "/dashboard/media/upload/json/", {"file": upload(image_bytes()), "alt_text": "Rack"}
    )
    assert response.status_code == 403
    assert not Media.objects.exists()
