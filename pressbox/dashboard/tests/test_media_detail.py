"""/dashboard/media/<id>/: the image, its text, where it is used and its sizes."""

import pytest

from pressbox.accounts.roles import Role
from pressbox.media.factories import MediaFactory
from pressbox.media.models import Media
from pressbox.media.tests.helpers import person
from pressbox.posts.factories import PageFactory, PostFactory

EDIT = {
    "alt_text": "Chalked hands on a barbell",
    "title": "Deadlift grip",
    "caption": "Photo: Umer",
}


def test_uploader_sees_the_form_usages_and_variants(client, db):
    owner = person(Role.CONTRIBUTOR)
    client.force_login(owner)
    media = MediaFactory(uploaded_by=owner, alt_text="Squat rack")
    stem = media.file.name.rsplit(".", 1)[0]
    media.variants = [
        {"width": 640, "height": 427, "format": "webp", "name": f"{stem}-640w.webp", "bytes": 31415}
    ]
    media.save()
    PostFactory(title="Leg day", body=f"![Squat rack]({media.url})")
    PageFactory(title="Our gym", body=f"![Squat rack]({media.url})")

    html = client.get(f"/dashboard/media/{media.pk}/").text

    assert 'name="alt_text"' in html and 'value="Squat rack"' in html
    assert "Leg day" in html and "Our gym" in html
    assert "<td>640 × 427</td><td>WEBP</td><td>30.7\xa0KB</td>" in html
    assert media.markdown.replace('"', "&quot;") in html
    assert f'href="/dashboard/media/{media.pk}/delete/"' in html


def test_image_waiting_for_its_variants_says_so(client, db):
    client.force_login(person(Role.AUTHOR))
    media = MediaFactory()
    html = client.get(f"/dashboard/media/{media.pk}/").text
    assert "Being made in the background" in html
    assert "Not used in any post or page." in html


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.AUTHOR])
def test_uploader_may_change_the_text_of_their_own_image(client, db, role):
    owner = person(role)
    client.force_login(owner)
    media = MediaFactory(uploaded_by=owner)
    response = client.post(f"/dashboard/media/{media.pk}/", EDIT)
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/media/{media.pk}/"
    media.refresh_from_db()
    assert (media.alt_text, media.title, media.caption) == tuple(EDIT.values())


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMINISTRATOR])
def test_editors_and_administrators_may_change_anyones_image(client, db, role):
    client.force_login(person(role))
    media = MediaFactory(uploaded_by=person(Role.AUTHOR))
    assert client.post(f"/dashboard/media/{media.pk}/", EDIT).status_code == 302
    assert Media.objects.get(pk=media.pk).alt_text == EDIT["alt_text"]


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.AUTHOR])
def test_others_see_someone_elses_image_but_cannot_change_it(client, db, role):
    client.force_login(person(role))
    media = MediaFactory(uploaded_by=person(Role.AUTHOR), alt_text="Squat rack")

    page = client.get(f"/dashboard/media/{media.pk}/")
    response = client.post(f"/dashboard/media/{media.pk}/", EDIT)

    assert page.status_code == 200
    assert 'name="alt_text"' not in page.text and "Squat rack" in page.text
    assert response.status_code == 403
    assert Media.objects.get(pk=media.pk).alt_text == "Squat rack"


def test_emptied_alt_text_is_refused_and_the_rest_kept(client, db):
    owner = person(Role.AUTHOR)
    client.force_login(owner)
    media = MediaFactory(uploaded_by=owner, alt_text="Squat rack")
    response = client.post(f"/dashboard/media/{media.pk}/", {**EDIT, "alt_text": ""})
    assert response.status_code == 200
    assert "Describe the image for people who cannot see it." in response.text
    assert 'value="Deadlift grip"' in response.text
    assert Media.objects.get(pk=media.pk).alt_text == "Squat rack"


def test_unknown_image_is_404(client, db):
    client.force_login(person(Role.EDITOR))
    assert client.get("/dashboard/media/999/").status_code == 404
