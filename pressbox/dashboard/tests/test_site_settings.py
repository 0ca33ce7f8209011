"""/dashboard/settings/: every site setting, for administrators, applied at once."""

from datetime import UTC, datetime

import pytest
from django.forms.models import model_to_dict
from django.test import Client

from pressbox.accounts.roles import Role
from pressbox.accounts.tests.people import person
from pressbox.dashboard.views.site_settings import FIELDSETS
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import SiteSettings


def typed(**changes):
    """The form as the page sends it: every current value, with `changes`."""
    data = model_to_dict(SiteSettings.load(), exclude=["id"])
    data = {
        key: ("on" if value is True else value) for key, value in data.items() if value is not False
    }
    return {**data, **changes}


@pytest.fixture
def admin_client(client, db):
    client.force_login(person(Role.ADMINISTRATOR))
    return client


def test_every_field_is_on_the_page_in_a_fieldset(admin_client):
    model_fields = {f.name for f in SiteSettings._meta.fields} - {"id"}
    assert {name for _legend, names in FIELDSETS for name in names} == model_fields
    page = admin_client.get("/dashboard/settings/").text
    for legend in ("General", "Comments", "Avatars"):
        assert f"<legend>{legend}</legend>" in page
    for name in model_fields:
        assert f'name="{name}"' in page, name
    assert "PRESSBOX_TIME_ZONE" in page


def test_each_permalink_choice_shows_its_example_address(admin_client):
    page = admin_client.get("/dashboard/settings/").text
    assert 'value="month" id="id_permalink_structure_1" required checked' in page
    for example in ["/2018/03/14/sample-post/", "/2018/03/sample-post/", "/archives/123/"]:
        assert f'<code class="example">http://127.0.0.1:8000{example}</code>' in page


def test_a_new_title_shows_on_the_public_home_page_at_once(admin_client, db):
    assert "<title>Pressbox" in admin_client.get("/").text  # the settings are now cached
    response = admin_client.post("/dashboard/settings/", typed(title="Lift & Rest"))
    assert (response.status_code, response["Location"]) == (302, "/dashboard/settings/")
    assert SiteSettings.objects.get().title == "Lift & Rest"
    assert "Lift &amp; Rest" in Client().get("/").text


def test_a_new_permalink_structure_moves_posts_and_old_addresses_301(admin_client):
    post = PostFactory(slug="knees", published_at=datetime(2024, 5, 14, tzinfo=UTC))
    assert admin_client.get("/2024/05/knees/").status_code == 200
    admin_client.post("/dashboard/settings/", typed(permalink_structure="day"))
    assert post.get_absolute_url() == "/2024/05/14/knees/"
    old = Client().get("/2024/05/knees/")
    assert (old.status_code, old["Location"]) == (301, "/2024/05/14/knees/")
    assert Client().get("/2024/05/14/knees/").status_code == 200


def test_comment_and_avatar_settings_are_saved(admin_client):
    admin_client.post(
        "/dashboard/settings/",
        typed(comment_moderation="all", comment_depth="3", avatar_service="libravatar",
              moderation_keys="casino\nviagra", notify_authors=""),
    )  # fmt: skip
    saved = SiteSettings.objects.get()
    assert (saved.comment_moderation, saved.comment_depth, saved.avatar_service) == (
        "all",
        3,
        "libravatar",
    )
    assert saved.moderation_keys.splitlines() == ["casino", "viagra"]
    assert saved.notify_authors is False


def test_an_out_of_range_number_is_refused_and_the_typing_kept(admin_client):
    response = admin_client.post(
        "/dashboard/settings/", typed(title="Lift & Rest", posts_per_page="0")
    )
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.text
    assert 'aria-describedby="id_posts_per_page_error"' in response.text
    assert 'value="Lift &amp; Rest"' in response.text
    assert SiteSettings.objects.get().title == "Pressbox"


@pytest.mark.parametrize("role", [Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR])
def test_other_roles_get_403_and_change_nothing(client, db, role):
    client.force_login(person(role))
    assert client.get("/dashboard/settings/").status_code == 403
    assert client.post("/dashboard/settings/", typed(title="Mine now")).status_code == 403
    assert SiteSettings.load().title == "Pressbox"
    assert 'href="/dashboard/settings/"' not in client.get("/dashboard/").text


def test_saving_refuses_a_post_without_the_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person(Role.ADMINISTRATOR))
    assert client.post("/dashboard/settings/", typed(title="Forged")).status_code == 403
    assert SiteSettings.load().title == "Pressbox"
