"""Author archives at /author/<username>/."""

from datetime import UTC, datetime

from pytest_django.asserts import assertContains

from pressbox.accounts.factories import AuthorProfileFactory, UserFactory
from pressbox.lib.tests.html import select, select_one
from pressbox.posts.factories import CategoryFactory, PostFactory

MAY = datetime(2024, 5, 1, tzinfo=UTC)


def test_author_archive_lists_posts_they_wrote_or_co_wrote(client, author):
    other = AuthorProfileFactory().user
    PostFactory(title="Solo", authors=[author], published_at=MAY)
    PostFactory(title="Together", authors=[other, author], published_at=MAY)
    PostFactory(title="Not theirs", authors=[other], published_at=MAY)
    response = client.get("/author/umer/")
    found = [h.text for h in select(response.text, "h2", class_="entry-title")]
    assert sorted(found) == ["Solo", "Together"]
    assert "Umer\u2019s Fitness" in select_one(response.text, "h1").text


def test_author_archive_shows_their_avatar_and_bio(client, author):
    PostFactory(authors=[author], published_at=MAY)
    response = client.get("/author/umer/")
    assert select(response.text, "img", src=author.profile.avatar_url)
    assertContains(response, "I lift, run and write about <strong>both</strong>.")


def test_author_with_a_profile_but_no_posts_still_has_a_page(client, author):
    assertContains(client.get("/author/umer/"), "Nothing has been published here yet.")


def test_user_with_no_profile_and_no_posts_is_404(client, db):
    UserFactory(username="lurker")
    assert client.get("/author/lurker/").status_code == 404
    assert client.get("/author/nobody/").status_code == 404


def test_author_costs_the_same_queries_with_30_posts_as_with_3(
    count_queries, author, site_settings
):
    site_settings.posts_per_page = 50
    site_settings.save()
    extras = {"authors": [author], "categories": [CategoryFactory()], "published_at": MAY}
    PostFactory.create_batch(3, **extras)
    few = count_queries("/author/umer/")
    PostFactory.create_batch(27, **extras)
    assert count_queries("/author/umer/") == few
