"""Tag archives at /tag/<slug>/."""

from datetime import UTC, datetime

from pressbox.lib.tests.html import select, select_one
from pressbox.posts.factories import CategoryFactory, PostFactory, TagFactory

MAY = datetime(2024, 5, 1, tzinfo=UTC)


def test_tag_archive_lists_only_its_posts(client, db):
    knees = TagFactory(name="Knees", slug="knees")
    PostFactory(title="Knee care", tags=[knees], published_at=MAY)
    PostFactory(title="Shoulders", tags=[TagFactory(slug="shoulders")], published_at=MAY)
    response = client.get("/tag/knees/")
    assert [h.text for h in select(response.text, "h2", class_="entry-title")] == ["Knee care"]
    assert "Tag: Knees" in select_one(response.text, "h1").text
    assert knees.posts.count() == 1


def test_unknown_tag_is_404(client, db):
    assert client.get("/tag/nope/").status_code == 404


def test_tag_paginates_with_page_1_redirecting(client, site_settings):
    site_settings.posts_per_page = 2
    site_settings.save()
    PostFactory.create_batch(3, tags=[TagFactory(slug="knees")], published_at=MAY)
    assert client.get("/tag/knees/page/2/").status_code == 200
    assert client.get("/tag/knees/page/3/").status_code == 404
    assert client.get("/tag/knees/page/1/")["Location"] == "/tag/knees/"


def test_tag_costs_the_same_queries_with_30_posts_as_with_3(count_queries, site_settings):
    site_settings.posts_per_page = 50
    site_settings.save()
    extras = {"tags": [TagFactory(slug="knees")], "categories": [CategoryFactory()]}
    PostFactory.create_batch(3, published_at=MAY, **extras)
    few = count_queries("/tag/knees/")
    PostFactory.create_batch(27, published_at=MAY, **extras)
    assert count_queries("/tag/knees/") == few
