"""/dashboard/media/<id>/delete/: confirm, refuse while used, then remove every file."""

from pathlib import Path

import pytest

from pressbox.accounts.roles import Role
from pressbox.media.models import Media
from pressbox.media.services import media_upload
from pressbox.media.tests.helpers import image_bytes, person, upload
from pressbox.posts.factories import PostFactory


def uploaded(by, size=(800, 600)):
    return media_upload(file=upload(image_bytes(size=size)), alt_text="Squat rack", by=by)


def test_confirmation_page_asks_before_deleting(client, db):
    owner = person(Role.AUTHOR)
    client.force_login(owner)
    media = uploaded(owner)
    response = client.get(f"/dashboard/media/{media.pk}/delete/")
    assert response.status_code == 200
    assert "It cannot be undone." in response.text
    assert Media.objects.filter(pk=media.pk).exists()


@pytest.mark.parametrize("role", list(Role))
def test_uploader_may_delete_their_own_image_and_its_files_go(
    client, db, settings, role, django_capture_on_commit_callbacks
):
    owner = person(role)
    client.force_login(owner)
    media = uploaded(owner)
    path = Path(settings.MEDIA_ROOT) / media.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/dashboard/media/{media.pk}/delete/")

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/media/"
    assert not Media.objects.exists()
    assert not path.exists()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMINISTRATOR])
def test_editors_and_administrators_may_delete_anyones_image(client, db, role):
    client.force_login(person(role))
    media = uploaded(person(Role.CONTRIBUTOR))
    assert client.post(f"/dashboard/media/{media.pk}/delete/").status_code == 302
    assert not Media.objects.exists()


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.AUTHOR])
def test_others_cannot_delete_someone_elses_image(client, db, settings, role):
    client.force_login(person(role))
    media = uploaded(person(Role.AUTHOR))
    assert client.get(f"/dashboard/media/{media.pk}/delete/").status_code == 403
    assert client.post(f"/dashboard/media/{media.pk}/delete/").status_code == 403
    assert Media.objects.filter(pk=media.pk).exists()
    assert (Path(settings.MEDIA_ROOT) / media.file.name).exists()


def test_image_in_use_is_not_deleted_and_the_posts_are_named(client, db, settings):
    editor = person(Role.EDITOR)
    client.force_login(editor)
    media = uploaded(editor)
    PostFactory(title="Leg day", body=f"![Squat rack]({media.url})")
    PostFactory(title="Rest day", body=f"![Squat rack]({media.url})")

    page = client.get(f"/dashboard/media/{media.pk}/delete/")
    response = client.post(f"/dashboard/media/{media.pk}/delete/")

    message = "This image is used in 2 posts: “Rest day”, “Leg day”."
    assert message in page.text and "Delete the image</button>" not in page.text
    assert response.status_code == 409
    assert message in response.text
    assert Media.objects.filter(pk=media.pk).exists()
    assert (Path(settings.MEDIA_ROOT) / media.file.name).exists()
