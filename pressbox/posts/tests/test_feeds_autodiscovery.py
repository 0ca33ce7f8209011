"""Feed autodiscovery: every page's <head> names the site's feeds, and archives and posts
their own, each in RSS, Atom and JSON Feed, and every named feed answers."""

import pytest

from pressbox.accounts.factories import AuthorProfileFactory
from pressbox.lib.tests.html import select
from pressbox.posts.factories import CategoryFactory, PageFactory, PostFactory, TagFactory
from pressbox.posts.models import Post
from pressbox.posts.views.preview import preview_url

TYPES = ["application/rss+xml", "application/atom+xml", "application/feed+json"]
SITE_FEEDS = [
    ("Pressbox » Feed", "/feed/"),
    ("Pressbox » Comments Feed", "/comments/feed/"),
]


@pytest.fixture
def knees(db):
    umer = AuthorProfileFactory(user__username="umer", display_name="Umer's Fitness").user
    return PostFactory(
        title='The "Stronger" Knees',
        authors=[umer],
        categories=[CategoryFactory(name="Training", slug="training")],
        tags=[TagFactory(name="Legs", slug="legs")],
    )


def announced(client, path):
    """[(title, href, type)] of the page's feed links, after checking each answers."""
    response = client.get(path)
    assert response.status_code == 200
    found = []
    for link in select(response.text, "link", rel="alternate"):
        if link.attrs.get("type") not in TYPES:
            continue
        answer = client.get(link.attrs["href"])
        assert answer.status_code == 200, link.attrs["href"]
        assert answer["Content-Type"].startswith(link.attrs["type"]), link.attrs["href"]
        found.append((link.attrs["title"], link.attrs["href"], link.attrs["type"]))
    return found


def in_three_formats(title, href):
    return [
        (title, href, "application/rss+xml"),
        (f"{title} (Atom)", f"{href}atom/", "application/atom+xml"),
        (f"{title} (JSON Feed)", f"{href}json/", "application/feed+json"),
    ]


def expected(*feeds):
    return [link for title, href in [*SITE_FEEDS, *feeds] for link in in_three_formats(title, href)]


def test_home_announces_the_site_and_comments_feeds(client, knees):
    assert announced(client, "/") == expected()


def test_a_category_announces_its_feed(client, knees):
    feed = ("Pressbox » Training Category Feed", "/category/training/feed/")
    assert announced(client, "/category/training/") == expected(feed)


def test_a_tag_announces_its_feed(client, knees):
    feed = ("Pressbox » Legs Tag Feed", "/tag/legs/feed/")
    assert announced(client, "/tag/legs/") == expected(feed)


def test_an_author_announces_their_feed(client, knees):
    feed = ("Pressbox » Posts by Umer’s Fitness Feed", "/author/umer/feed/")
    assert announced(client, "/author/umer/") == expected(feed)


def test_a_post_announces_its_comments_feed(client, knees):
    path = knees.get_absolute_url()
    feed = ("Pressbox » “The “Stronger” Knees” Comments Feed", f"{path}feed/")
    assert announced(client, path) == expected(feed)


def test_pages_and_other_lists_announce_the_site_feeds(client, knees):
    PageFactory(slug="about")
    assert announced(client, "/about/") == expected()
    assert announced(client, "/?s=knees") == expected()
    assert announced(client, f"/{knees.published_at:%Y}/") == expected()


def test_a_draft_preview_announces_no_comments_feed_for_the_draft(client, db):
    draft = PostFactory(title="Secret plans", slug="secret-plans", status=Post.Status.DRAFT)
    response = client.get(preview_url(draft))
    assert "Secret plans" in response.text
    hrefs = [link.attrs["href"] for link in select(response.text, "link", rel="alternate")]
    assert hrefs == [href for _title, href, _type in expected()]
