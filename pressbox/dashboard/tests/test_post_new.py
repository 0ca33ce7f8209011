"""/dashboard/posts/new/: writing a post, and what each role may do with it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pressbox.dashboard.tests.posts_helpers import form_data, person, sign_in
from pressbox.posts.factories import CategoryFactory, PostFactory
from pressbox.posts.models import Category, Post


def in_an_hour() -> str:
    return timezone.localtime(timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")


def test_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get("/dashboard/posts/new/")
    assert response["Location"] == "/dashboard/login/?next=/dashboard/posts/new/"


@pytest.mark.parametrize("role", ["contributor", "author", "editor", "administrator"])
def test_every_role_may_open_the_editor(client, db, role):
    sign_in(client, role)
    response = client.get("/dashboard/posts/new/")
    assert response.status_code == 200
    assert '<input type="text" name="title"' in response.text
    assert 'name="body"' in response.text


def test_contributors_see_submit_for_review_and_no_publish_button(client, db):
    sign_in(client, "contributor")
    response = client.get("/dashboard/posts/new/")
    assert 'value="submit" class="button primary">Submit for review' in response.text
    assert 'value="publish"' not in response.text and 'value="schedule"' not in response.text


def test_authors_see_publish_and_schedule(client, db):
    sign_in(client, "author")
    response = client.get("/dashboard/posts/new/")
    assert 'value="publish" class="button primary">Publish now' in response.text
    assert 'value="schedule"' in response.text
    assert 'value="submit"' not in response.text


def test_saving_a_draft_creates_it_with_its_writer_as_author(client, db):
    me = sign_in(client, "author")
    response = client.post("/dashboard/posts/new/", form_data())
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/posts/{post.pk}/edit/"
    assert (post.title, post.slug, post.status) == ("Deadlift cues", "deadlift-cues", "draft")
    assert [pa.author for pa in post.post_authors.all()] == [me]
    assert post.revisions.count() == 1


def test_publishing_puts_the_post_on_the_site(client, db):
    sign_in(client, "author")
    client.post("/dashboard/posts/new/", form_data(action="publish"))
    post = Post.objects.get()
    assert post.is_published()
    assert client.get(post.get_absolute_url()).status_code == 200


def test_a_contributor_who_tries_to_publish_gets_403_and_nothing_is_saved(client, db):
    sign_in(client, "contributor")
    response = client.post("/dashboard/posts/new/", form_data(action="publish"))
    assert response.status_code == 403
    assert not Post.objects.exists()


def test_a_contributor_submits_for_review(client, db):
    sign_in(client, "contributor")
    client.post("/dashboard/posts/new/", form_data(action="submit"))
    assert Post.objects.get().status == "pending"


def test_someone_without_a_role_gets_403(client, db):
    from pressbox.accounts.factories import UserFactory

    client.force_login(UserFactory())
    assert client.post("/dashboard/posts/new/", form_data()).status_code == 403
    assert not Post.objects.exists()


def test_a_missing_title_is_an_error_and_the_text_is_kept(client, db):
    sign_in(client, "author")
    response = client.post("/dashboard/posts/new/", form_data(title="", body="Keep *me*."))
    assert response.status_code == 200
    assert "Give the post a title." in response.text
    assert "Keep *me*.</textarea>" in response.text
    assert not Post.objects.exists()


def test_a_slug_that_is_not_a_slug_is_an_error(client, db):
    sign_in(client, "author")
    response = client.post("/dashboard/posts/new/", form_data(slug="no spaces/please"))
    assert "Use only letters, numbers, hyphens and underscores" in response.text
    assert 'value="no spaces/please"' in response.text
    assert not Post.objects.exists()


def test_a_slug_another_post_has_is_an_error(client, db):
    sign_in(client, "author")
    PostFactory(slug="taken")
    response = client.post("/dashboard/posts/new/", form_data(slug="taken"))
    assert "Another post already has this slug" in response.text
    assert Post.objects.count() == 1


def test_scheduling_in_the_past_is_an_error(client, db):
    sign_in(client, "author")
    past = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post("/dashboard/posts/new/", form_data(action="schedule", published_at=past))
    assert "That time has passed" in response.text
    assert f'value="{past}"' in response.text
    assert not Post.objects.exists()


def test_scheduling_without_a_date_is_an_error(client, db):
    sign_in(client, "author")
    response = client.post("/dashboard/posts/new/", form_data(action="schedule"))
    assert "Choose the date and time to publish the post." in response.text
    assert not Post.objects.exists()


def test_scheduling_uses_the_site_time_zone(client, db, settings):
    settings.TIME_ZONE = "Europe/Paris"
    sign_in(client, "author")
    when = in_an_hour()
    client.post("/dashboard/posts/new/", form_data(action="schedule", published_at=when))
    post = Post.objects.get()
    assert post.status == "scheduled"
    assert timezone.localtime(post.published_at).strftime("%Y-%m-%dT%H:%M") == when
    assert str(timezone.localtime(post.published_at).tzinfo) == "Europe/Paris"


def test_co_authors_tags_categories_and_seo_are_saved(client, db):
    sign_in(client, "author", "umer")
    person("author", "maya")
    category = CategoryFactory(name="Training")
    client.post(
        "/dashboard/posts/new/",
        form_data(
            authors="maya, umer",
            tags="grip, Strength",
            categories=[str(category.pk)],
            seo_description="How to brace.",
            comments_open=None,
        ),
    )
    post = Post.objects.get()
    assert [pa.author.username for pa in post.post_authors.all()] == ["maya", "umer"]
    assert sorted(post.tags.values_list("name", flat=True)) == ["Strength", "grip"]
    assert list(post.categories.all()) == [category]
    assert (post.seo_description, post.comments_open) == ("How to brace.", False)


def test_an_unknown_co_author_is_an_error(client, db):
    sign_in(client, "author", "umer")
    response = client.post("/dashboard/posts/new/", form_data(authors="umer, nobody"))
    assert "No writer on this site has the username nobody." in response.text
    assert not Post.objects.exists()


def test_an_author_must_stay_among_the_authors(client, db):
    sign_in(client, "author", "umer")
    person("author", "maya")
    response = client.post("/dashboard/posts/new/", form_data(authors="maya"))
    assert "Keep yourself among the authors" in response.text
    assert not Post.objects.exists()


def test_an_seo_description_over_160_characters_is_an_error(client, db):
    sign_in(client, "author")
    response = client.post("/dashboard/posts/new/", form_data(seo_description="x" * 161))
    assert "at most 160 characters" in response.text
    assert not Post.objects.exists()


def test_an_editor_creates_a_category_inline(client, db):
    sign_in(client, "editor")
    parent = CategoryFactory(name="Training")
    client.post(
        "/dashboard/posts/new/",
        form_data(new_category="Grip", new_category_parent=str(parent.pk)),
    )
    category = Category.objects.get(name="Grip")
    assert category.parent == parent
    assert list(Post.objects.get().categories.all()) == [category]


def test_authors_are_not_offered_a_new_category_field(client, db):
    sign_in(client, "author")
    assert 'name="new_category"' not in client.get("/dashboard/posts/new/").text
    client.post("/dashboard/posts/new/", form_data(new_category="Sneaky"))
    assert not Category.objects.exists()
    assert Post.objects.count() == 1


def test_an_unknown_action_is_refused(client, db):
    sign_in(client, "author")
    assert client.post("/dashboard/posts/new/", form_data(action="explode")).status_code == 403
    assert not Post.objects.exists()


def test_the_writer_is_the_first_author_already_filled_in(client, db):
    sign_in(client, "contributor", "cara")
    response = client.get("/dashboard/posts/new/")
    assert 'name="authors" value="cara"' in response.text
