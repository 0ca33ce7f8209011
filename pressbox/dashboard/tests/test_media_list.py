"""/dashboard/media/: the library as a grid of thumbnails, searchable, paged."""

import pytest

from pressbox.accounts.roles import Role
from pressbox.media.factories import MediaFactory
from pressbox.media.tests.helpers import person


def signed_in(client, role=Role.CONTRIBUTOR):
    user = person(role)
    client.force_login(user)
    return user


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_the_library_and_its_link_in_the_menu(client, db, role):
    signed_in(client, role)
    MediaFactory(alt_text="A loaded barbell on a squat rack")
    response = client.get("/dashboard/media/")
    assert response.status_code == 200
    assert "A loaded barbell on a squat rack" in response.text
    assert '<a href="/dashboard/media/" aria-current="page">Media</a>' in response.text


def test_signed_in_person_without_a_role_gets_403(client, db):
    signed_in(client, role=None)
    assert client.get("/dashboard/media/").status_code == 403


def test_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get("/dashboard/media/")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/login/?next=/dashboard/media/"


def test_thumbnail_is_the_smallest_variant_with_the_alt_text_beside_it(client, db):
    signed_in(client)
    media = MediaFactory(alt_text="Chalked hands")
    stem = media.file.name.rsplit(".", 1)[0]
    media.variants = [
        {"width": 640, "height": 427, "format": "webp", "name": f"{stem}-640w.webp", "bytes": 9},
        {"width": 320, "height": 213, "format": "jpeg", "name": f"{stem}-320w.jpg", "bytes": 9},
        {"width": 320, "height": 213, "format": "webp", "name": f"{stem}-320w.webp", "bytes": 9},
    ]
    media.save()
    html = client.get("/dashboard/media/").text
    assert f'<img src="/media/{stem}-320w.webp" alt=""' in html
    assert '<span class="media-alt">Chalked hands</span>' in html
    assert f'href="/dashboard/media/{media.pk}/"' in html


def test_search_finds_by_alt_text_or_title_and_keeps_the_query(client, db):
    signed_in(client)
    MediaFactory(alt_text="Kettlebell swing", title="Garage gym")
    MediaFactory(alt_text="Chalked hands", title="Deadlift")
    MediaFactory(alt_text="Rowing machine", title="Cardio")

    html = client.get("/dashboard/media/?q=garage").text
    assert "Kettlebell swing" in html and "Chalked hands" not in html
    assert 'value="garage"' in html
    assert "1 image match “garage”." in html
    assert "Chalked hands" in client.get("/dashboard/media/?q=CHALK").text


def test_library_pages_by_24_and_links_the_next_page(client, db):
    signed_in(client)
    MediaFactory.create_batch(25)
    first = client.get("/dashboard/media/?q=barbell").text
    assert first.count('class="media-tile"') == 24
    assert 'href="?q=barbell&amp;page=2"' in first
    assert client.get("/dashboard/media/?q=barbell&page=2").text.count('class="media-tile"') == 1


def test_query_count_does_not_grow_with_the_library(client, db, django_assert_num_queries):
    signed_in(client)
    MediaFactory.create_batch(2)
    client.get("/dashboard/media/")  # site settings and menu pages are cached from now on
    with django_assert_num_queries(8):
        client.get("/dashboard/media/")
    MediaFactory.create_batch(20)
    with django_assert_num_queries(8):
        client.get("/dashboard/media/")
