"""SiteSettings.permalink_structure: one canonical address, every other shape 301s to it."""

from datetime import UTC, datetime

import pytest
from pytest_django.asserts import assertContains

from pressbox.posts.factories import PostFactory
from pressbox.posts.models import SiteSettings
from pressbox.posts.seo import absolute

Permalink = SiteSettings.Permalink


@pytest.fixture
def post(db):
    return PostFactory(title="Knees", slug="knees", published_at=datetime(2024, 5, 14, tzinfo=UTC))


def shapes(post):
    return {
        Permalink.MONTH_AND_NAME: "/2024/05/knees/",
        Permalink.DAY_AND_NAME: "/2024/05/14/knees/",
        Permalink.POST_NAME: "/knees/",
        Permalink.NUMERIC: f"/archives/{post.pk}/",
    }


@pytest.mark.parametrize("structure", list(Permalink))
def test_each_structure_has_one_canonical_address_and_the_others_301(
    client, post, site_settings, structure
):
    site_settings.permalink_structure = structure
    site_settings.save()
    urls = shapes(post)
    canonical = urls.pop(structure)
    assert post.get_absolute_url() == canonical
    assertContains(client.get(canonical), f'<link rel="canonical" href="{absolute(canonical)}">')
    for other in urls.values():
        response = client.get(other)
        assert (response.status_code, response["Location"]) == (301, canonical), other


def test_default_structure_is_year_month_and_name(client, post):
    assert SiteSettings.load().permalink_structure == Permalink.MONTH_AND_NAME
    assert client.get("/2024/05/knees/").status_code == 200


def test_wrong_day_in_a_day_permalink_answers_301(client, post, site_settings):
    site_settings.permalink_structure = Permalink.DAY_AND_NAME
    site_settings.save()
    response = client.get("/2024/05/13/knees/")
    assert (response.status_code, response["Location"]) == (301, "/2024/05/14/knees/")


def test_unknown_numeric_id_is_404(client, post):
    assert client.get(f"/archives/{post.pk + 100}/").status_code == 404


def test_non_ascii_slug_is_served_without_a_redirect_loop(client, db):
    post = PostFactory(slug="café-olé", published_at=datetime(2024, 5, 14, tzinfo=UTC))
    assert post.get_absolute_url() == "/2024/05/caf%C3%A9-ol%C3%A9/"
    assert client.get("/2024/05/caf%C3%A9-ol%C3%A9/").status_code == 200
    assert client.get("/2023/01/caf%C3%A9-ol%C3%A9/")["Location"] == post.get_absolute_url()
