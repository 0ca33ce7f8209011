"""Comment feeds in every format: /comments/feed/ and <permalink>feed/, each also as
…feed/atom/ and …feed/json/ (the RSS specifics are in test_feeds.py)."""

from datetime import UTC, datetime

import pytest

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.comments.tests.bulk import bulk_threads
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post, SiteSettings
from pressbox.posts.tests.feedcheck import KINDS, SUFFIX, read

SITE = "https://blog.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.mark.parametrize("kind", KINDS)
def test_site_comments_feed_lists_approved_comments_newest_first(client, post, kind):
    older = CommentFactory(
        post=post, author_name="Ann", created_at=datetime(2024, 5, 20, tzinfo=UTC)
    )
    newer = CommentFactory(
        post=post,
        author_name="Bob O'Neil",
        body="See [the notes](/notes/).",
        created_at=datetime(2024, 5, 21, tzinfo=UTC),
    )
    CommentFactory(post=post, status=Comment.Status.PENDING, author_name="Held")
    CommentFactory(post=post, status=Comment.Status.SPAM, author_name="Spammer")
    CommentFactory(post=PostFactory(status=Post.Status.DRAFT), author_name="On a draft")
    channel = read(client.get(f"/comments/feed/{SUFFIX[kind]}"), kind)
    assert channel.title == "Comments on Pressbox"
    assert channel.self_link == f"{SITE}/comments/feed/{SUFFIX[kind]}"
    assert [item.link for item in channel.items] == [
        f"{SITE}/2024/05/knees/#comment-{newer.pk}",
        f"{SITE}/2024/05/knees/#comment-{older.pk}",
    ]
    first = channel.items[0]
    assert first.title == "Comment on Stronger Knees by Bob O’Neil"
    assert first.authors == ["Bob O’Neil"]
    assert first.published == datetime(2024, 5, 21, tzinfo=UTC)
    assert f'href="{SITE}/notes/"' in first.content_html


@pytest.mark.parametrize("kind", KINDS)
def test_comment_feeds_never_show_an_email_ip_or_website(client, post, kind):
    CommentFactory(
        post=post,
        author_email="ann.private@example.net",
        author_url="https://ann.example/",
        ip_address="198.51.100.23",
        user_agent="SecretBrowser/1.0",
    )
    for path in ("/comments/feed/", "/2024/05/knees/feed/"):
        body = client.get(f"{path}{SUFFIX[kind]}").content
        assert len(read(client.get(f"{path}{SUFFIX[kind]}"), kind).items) == 1
        for private in (b"ann.private", b"198.51.100.23", b"ann.example", b"SecretBrowser"):
            assert private not in body, (path, private)


@pytest.mark.parametrize("kind", KINDS)
def test_post_comments_feed_lists_that_posts_approved_comments(client, post, kind):
    mine = CommentFactory(post=post, author_name="Ann")
    CommentFactory(post=post, status=Comment.Status.PENDING)
    CommentFactory(post=PostFactory())
    channel = read(client.get(f"/2024/05/knees/feed/{SUFFIX[kind]}"), kind)
    assert channel.title == "Comments on “Stronger Knees”"
    assert channel.link == f"{SITE}/2024/05/knees/"
    assert [item.link for item in channel.items] == [f"{SITE}/2024/05/knees/#comment-{mine.pk}"]


@pytest.mark.parametrize("kind", ["atom", "json"])
@pytest.mark.parametrize("structure", list(SiteSettings.Permalink))
def test_every_permalink_structure_has_post_comment_feeds_and_the_others_301(
    client, post, site_settings, structure, kind
):
    site_settings.permalink_structure = structure
    site_settings.save()
    CommentFactory(post=post)
    shapes = {
        SiteSettings.Permalink.MONTH_AND_NAME: "/2024/05/knees/feed/",
        SiteSettings.Permalink.DAY_AND_NAME: "/2024/05/14/knees/feed/",
        SiteSettings.Permalink.POST_NAME: "/knees/feed/",
        SiteSettings.Permalink.NUMERIC: f"/archives/{post.pk}/feed/",
    }
    urls = {key: f"{value}{SUFFIX[kind]}" for key, value in shapes.items()}
    canonical = urls.pop(structure)
    assert len(read(client.get(canonical), kind).items) == 1
    for other in urls.values():
        response = client.get(other)
        assert (response.status_code, response["Location"]) == (301, canonical), other


@pytest.mark.parametrize("kind", KINDS)
def test_a_reader_that_has_a_comment_feed_gets_304_and_no_body(client, post, kind):
    CommentFactory(post=post, created_at=datetime(2024, 5, 21, tzinfo=UTC))
    for path in (f"/comments/feed/{SUFFIX[kind]}", f"/2024/05/knees/feed/{SUFFIX[kind]}"):
        first = client.get(path)
        assert first["Last-Modified"] == "Tue, 21 May 2024 00:00:00 GMT"
        again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
        assert (again.status_code, again.content) == (304, b""), path
        since = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert (since.status_code, since.content) == (304, b""), path


@pytest.mark.usefixtures("no_page_cache")  # counts the queries of a render
@pytest.mark.parametrize("kind", ["atom", "json"])
def test_comment_feeds_cost_the_same_queries_in_every_format(
    client, post, django_assert_num_queries, kind
):
    SiteSettings.load()
    bulk_threads(post, 2, replies=1)
    with django_assert_num_queries(3):  # comments with posts; visible roots; positions
        client.get(f"/comments/feed/{SUFFIX[kind]}")
    with django_assert_num_queries(4):  # the post; comments; visible roots; positions
        client.get(f"/2024/05/knees/feed/{SUFFIX[kind]}")
    bulk_threads(post, 40, replies=2, start=100)
    with django_assert_num_queries(3):
        assert len(read(client.get(f"/comments/feed/{SUFFIX[kind]}"), kind).items) == 50
    with django_assert_num_queries(4):
        assert len(read(client.get(f"/2024/05/knees/feed/{SUFFIX[kind]}"), kind).items) == 50


def test_comment_feeds_in_every_format_are_kept_in_the_page_cache(client, post, site_settings):
    CommentFactory(post=post)
    for kind in KINDS:
        path = f"/comments/feed/{SUFFIX[kind]}"
        assert client.get(path)["X-Cache"] == "MISS"
        assert client.get(path)["X-Cache"] == "HIT"


def test_wordpress_rss2_address_of_a_post_feed_answers_301(client, post, site_settings):
    site_settings.permalink_structure = SiteSettings.Permalink.POST_NAME
    site_settings.save()
    response = client.get("/knees/feed/rss2/")
    assert (response.status_code, response["Location"]) == (301, "/knees/feed/")
    assert client.get("/knees/feed/").status_code == 200
