"""Comment feeds: /comments/feed/ and <post permalink>feed/ (RSS 2.0)."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.comments.tests.bulk import bulk_threads
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post, SiteSettings

DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://blog.example"


def channel(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert (root.tag, root.attrib["version"]) == ("rss", "2.0")
    return root.find("channel")


def items(response):
    return channel(response).findall("item")


def test_site_feed_lists_approved_comments_newest_first(client, post):
    older = CommentFactory(
        post=post, author_name="Ann", created_at=datetime(2024, 5, 20, tzinfo=UTC)
    )
    newer = CommentFactory(
        post=post, author_name="Bob", created_at=datetime(2024, 5, 21, tzinfo=UTC)
    )
    CommentFactory(post=post, status=Comment.Status.PENDING)
    CommentFactory(post=post, status=Comment.Status.SPAM)
    feed = channel(client.get("/comments/feed/"))
    assert feed.findtext("title") == "Comments on Pressbox"
    assert feed.findtext("link") == "https://blog.example/"
    entries = feed.findall("item")
    assert [e.findtext("link") for e in entries] == [
        f"https://blog.example/2024/05/knees/#comment-{newer.pk}",
        f"https://blog.example/2024/05/knees/#comment-{older.pk}",
    ]
    first = entries[0]
    assert first.findtext("title") == "Comment on Stronger Knees by Bob"
    assert first.findtext("description") == newer.body_html
    assert first.findtext(f"{DC}creator") == "Bob"
    assert first.findtext("pubDate") == "Tue, 21 May 2024 00:00:00 +0000"
    assert Comment.objects.count() == 4


def test_site_feed_leaves_out_comments_on_unpublished_posts(client, db):
    draft = PostFactory(status=Post.Status.DRAFT)
    future = PostFactory(published_at=datetime.now(UTC) + timedelta(days=2))
    CommentFactory(post=draft)
    CommentFactory(post=future)
    assert items(client.get("/comments/feed/")) == []


def test_site_feed_holds_the_latest_50(client, post):
    heads = bulk_threads(post, 60)
    links = [e.findtext("link") for e in items(client.get("/comments/feed/"))]
    assert len(links) == 50
    assert links[0].endswith(f"#comment-{heads[-1].pk}")


def test_an_item_links_to_the_comments_page_of_its_thread(client, post, site_settings):
    site_settings.comments_per_page = 2
    site_settings.save()
    heads = bulk_threads(post, 3, replies=1)
    reply = Comment.objects.get(root=heads[2])
    entry = items(client.get("/comments/feed/"))[0]
    expected = f"https://blog.example/2024/05/knees/comment-page-2/#comment-{reply.pk}"
    assert entry.findtext("link") == expected
    guid = entry.find("guid")
    assert guid.text == f"https://blog.example/2024/05/knees/#comment-{reply.pk}"
    assert guid.attrib["isPermaLink"] == "false"


@pytest.mark.usefixtures("no_page_cache")  # counts the queries of a render
def test_site_feed_costs_the_same_queries_for_3_or_60_comments(
    client, db, django_assert_num_queries
):
    SiteSettings.load()
    first, second = PostFactory(), PostFactory()
    bulk_threads(first, 2, replies=1)
    with django_assert_num_queries(3):  # comments with posts; visible roots; positions
        client.get("/comments/feed/")
    bulk_threads(first, 20, replies=2, start=100)
    bulk_threads(second, 5, start=500)
    with django_assert_num_queries(3):
        assert len(items(client.get("/comments/feed/"))) == 50


def test_post_feed_lists_that_posts_approved_comments(client, post):
    mine = CommentFactory(post=post, author_name="Ann")
    CommentFactory(post=post, status=Comment.Status.PENDING)
    CommentFactory(post=PostFactory())
    feed = channel(client.get("/2024/05/knees/feed/"))
    assert feed.findtext("title") == "Comments on “Stronger Knees”"
    assert feed.findtext("link") == "https://blog.example/2024/05/knees/"
    assert [e.findtext("link") for e in feed.findall("item")] == [
        f"https://blog.example/2024/05/knees/#comment-{mine.pk}"
    ]


@pytest.mark.usefixtures("no_page_cache")  # counts the queries of a render
def test_post_feed_costs_the_same_queries_for_any_number(client, post, django_assert_num_queries):
    SiteSettings.load()
    bulk_threads(post, 2, replies=1)
    with django_assert_num_queries(4):  # the post; comments; visible roots; positions
        client.get("/2024/05/knees/feed/")
    bulk_threads(post, 40, replies=2, start=100)
    with django_assert_num_queries(4):
        assert len(items(client.get("/2024/05/knees/feed/"))) == 50


SHAPES = {
    SiteSettings.Permalink.MONTH_AND_NAME: "/2024/05/knees/feed/",
    SiteSettings.Permalink.DAY_AND_NAME: "/2024/05/14/knees/feed/",
    SiteSettings.Permalink.POST_NAME: "/knees/feed/",
    SiteSettings.Permalink.NUMERIC: "/archives/{pk}/feed/",
}


@pytest.mark.parametrize("structure", list(SiteSettings.Permalink))
def test_every_permalink_structure_has_a_post_feed_and_the_others_301(
    client, post, site_settings, structure
):
    site_settings.permalink_structure = structure
    site_settings.save()
    CommentFactory(post=post)
    urls = {k: v.format(pk=post.pk) for k, v in SHAPES.items()}
    canonical = urls.pop(structure)
    assert len(items(client.get(canonical))) == 1
    for other in urls.values():
        response = client.get(other)
        assert (response.status_code, response["Location"]) == (301, canonical), other


def test_post_feed_of_a_draft_or_a_page_is_404(client, db):
    from pressbox.posts.factories import PageFactory

    draft = PostFactory(status=Post.Status.DRAFT, slug="hidden")
    PageFactory(slug="about")
    assert client.get(f"/archives/{draft.pk}/feed/").status_code == 404
    assert client.get("/about/feed/").status_code == 404


def test_the_post_page_announces_its_comment_feed(client, post):
    html = client.get("/2024/05/knees/").text
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/2024/05/knees/feed/"' in html
