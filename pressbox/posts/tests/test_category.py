"""Category archives at /category/<slug>/ and /category/<parent>/<child>/."""

from datetime import UTC, datetime

import pytest
from pytest_django.asserts import assertContains

from pressbox.lib.tests.html import select, select_one
from pressbox.posts.factories import CategoryFactory, PostFactory, TagFactory
from pressbox.posts.models import Category

MAY = datetime(2024, 5, 1, tzinfo=UTC)


@pytest.fixture
def tree(db):
    training = CategoryFactory(name="Training", slug="training", description="How we train.")
    strength = Category.objects.create(name="Strength", slug="strength", parent=training)
    PostFactory(title="Squat basics", categories=[strength], published_at=MAY)
    PostFactory(title="Rest days", categories=[training], published_at=MAY)
    PostFactory(title="Recipes", categories=[CategoryFactory(slug="food")], published_at=MAY)
    return training, strength


def titles(response):
    return [h.text for h in select(response.text, "h2", class_="entry-title")]


def test_parent_archive_lists_its_own_and_its_childrens_posts(client, tree):
    response = client.get("/category/training/")
    assert sorted(titles(response)) == ["Rest days", "Squat basics"]
    assert "Category: Training" in select_one(response.text, "h1").text
    assertContains(response, "How we train.")


def test_child_archive_lives_under_its_parent_path(client, tree):
    response = client.get("/category/training/strength/")
    assert titles(response) == ["Squat basics"]
    assert tree[1].get_absolute_url() == "/category/training/strength/"


def test_child_without_its_parent_in_the_path_answers_301(client, tree):
    response = client.get("/category/strength/")
    assert response.status_code == 301
    assert response["Location"] == "/category/training/strength/"
    assert client.get("/category/food/strength/")["Location"] == "/category/training/strength/"


def test_post_byline_links_the_nested_category_url(client, tree):
    response = client.get("/category/training/strength/")
    link = select(response.text, "a", rel="category")[0]
    assert (link.attrs["href"], link.text) == ("/category/training/strength/", "Strength")


def test_unknown_category_is_404(client, tree):
    assert client.get("/category/nope/").status_code == 404


def test_nested_category_paginates(client, tree, site_settings):
    site_settings.posts_per_page = 1
    site_settings.save()
    PostFactory(title="Deadlifts", categories=[tree[1]], published_at=MAY)
    assert len(titles(client.get("/category/training/strength/page/2/"))) == 1
    assert client.get("/category/training/strength/page/3/").status_code == 404
    assert client.get("/category/training/strength/page/1/")["Location"] == (
        "/category/training/strength/"
    )


def test_category_costs_the_same_queries_with_30_posts_as_with_3(count_queries, site_settings):
    site_settings.posts_per_page = 50
    site_settings.save()
    training = CategoryFactory(slug="training")
    legs = Category.objects.create(name="Legs", slug="legs", parent=training)
    extras = {"categories": [legs], "tags": [TagFactory()], "published_at": MAY}
    PostFactory.create_batch(3, **extras)
    few = count_queries("/category/training/")
    PostFactory.create_batch(27, **extras)
    assert count_queries("/category/training/") == few
