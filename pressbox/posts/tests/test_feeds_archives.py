"""Archive feeds: <category, tag, author or date archive>/feed/, …/feed/atom/, …/feed/json/."""

from datetime import UTC, datetime, timedelta

import pytest

from pressbox.accounts.factories import AuthorProfileFactory, UserFactory
from pressbox.media.factories import MediaFactory
from pressbox.posts.factories import CategoryFactory, PostFactory, TagFactory
from pressbox.posts.models import Category, Post, SiteSettings
from pressbox.posts.tests.feedcheck import KINDS, SUFFIX, read

MAY = datetime(2024, 5, 14, 9, 30, tzinfo=UTC)
SITE = "https://blog.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def tree(db):
    training = CategoryFactory(name="Training", slug="training", description="How we train.")
    strength = Category.objects.create(name="Strength", slug="strength", parent=training)
    PostFactory(title="Squat basics", categories=[strength], published_at=MAY)
    PostFactory(title="Rest days", categories=[training], published_at=MAY - timedelta(days=1))
    PostFactory(title="Recipes", categories=[CategoryFactory(slug="food")], published_at=MAY)
    PostFactory(title="Draft", categories=[training], status=Post.Status.DRAFT)
    return training, strength


def titles(channel):
    return [item.title for item in channel.items]


@pytest.mark.parametrize("kind", KINDS)
def test_category_feed_lists_its_own_and_its_descendants_posts(client, tree, kind):
    channel = read(client.get(f"/category/training/feed/{SUFFIX[kind]}"), kind)
    assert titles(channel) == ["Squat basics", "Rest days"]
    assert channel.title == "Pressbox » Category: Training"
    assert channel.link == f"{SITE}/category/training/"
    assert channel.self_link == f"{SITE}/category/training/feed/{SUFFIX[kind]}"
    assert channel.description == "How we train."


@pytest.mark.parametrize("kind", KINDS)
def test_nested_category_feed_lives_under_its_parent_path(client, tree, kind):
    path = f"/category/training/strength/feed/{SUFFIX[kind]}"
    assert titles(read(client.get(path), kind)) == ["Squat basics"]
    response = client.get(f"/category/strength/feed/{SUFFIX[kind]}")
    assert (response.status_code, response["Location"]) == (301, path)


@pytest.mark.parametrize("kind", KINDS)
def test_tag_feed_lists_the_tags_posts(client, db, kind):
    legs = TagFactory(name="Legs", slug="legs")
    PostFactory(title="Lunges", tags=[legs])
    PostFactory(title="Curls", tags=[TagFactory()])
    channel = read(client.get(f"/tag/legs/feed/{SUFFIX[kind]}"), kind)
    assert titles(channel) == ["Lunges"]
    assert channel.title == "Pressbox » Tag: Legs"
    assert channel.link == f"{SITE}/tag/legs/"


@pytest.mark.parametrize("kind", KINDS)
def test_author_feed_lists_every_post_they_wrote_or_co_wrote(client, db, kind):
    umer = AuthorProfileFactory(user__username="umer", display_name="Umer").user
    other = AuthorProfileFactory().user
    PostFactory(title="Solo", authors=[umer], published_at=MAY)
    PostFactory(title="Second byline", authors=[other, umer], published_at=MAY - timedelta(1))
    PostFactory(title="Not theirs", authors=[other])
    channel = read(client.get(f"/author/umer/feed/{SUFFIX[kind]}"), kind)
    assert titles(channel) == ["Solo", "Second byline"]
    assert channel.title == "Pressbox » Author: Umer"
    assert channel.link == f"{SITE}/author/umer/"
    assert channel.items[1].authors == [other.display_name, "Umer"]


@pytest.mark.parametrize("kind", KINDS)
def test_date_feeds_list_what_was_published_then(client, db, kind):
    PostFactory(title="Mid May", published_at=MAY)
    PostFactory(title="End of May", published_at=MAY + timedelta(days=10))
    PostFactory(title="June", published_at=MAY + timedelta(days=30))
    suffix = SUFFIX[kind]
    assert titles(read(client.get(f"/2024/feed/{suffix}"), kind)) == [
        "June",
        "End of May",
        "Mid May",
    ]
    month = read(client.get(f"/2024/05/feed/{suffix}"), kind)
    assert titles(month) == ["End of May", "Mid May"]
    assert month.title == "Pressbox » Month: May 2024"
    assert titles(read(client.get(f"/2024/05/14/feed/{suffix}"), kind)) == ["Mid May"]
    for empty in ("/2023/feed/", "/2024/02/30/feed/", "/2024/13/feed/", "/2024/05/15/feed/"):
        assert client.get(f"{empty}{suffix}").status_code == 404, empty


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_archives_have_no_feed(client, tree, kind):
    UserFactory(username="nobody")  # a user who never wrote and has no profile
    for path in ("/category/nope/", "/tag/nope/", "/author/nope/", "/author/nobody/"):
        assert client.get(f"{path}feed/{SUFFIX[kind]}").status_code == 404, path


def test_archive_pages_still_answer_beside_their_feeds(client, tree):
    assert client.get("/category/training/strength/").status_code == 200
    assert client.get("/category/training/page/2/").status_code == 404  # one page only
    response = client.get("/category/training/strength/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")


@pytest.mark.usefixtures("no_page_cache")  # counts the queries of a render
@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/category/training/feed/", 7),  # category; 2 tree levels; posts; authors; cats; tags
        ("/tag/legs/feed/json/", 5),  # the tag; posts; authors; categories; tags
        ("/author/umer/feed/atom/", 5),  # the author; posts; authors; categories; tags
    ],
)
def test_archive_feeds_cost_the_same_queries_for_3_or_30_posts(
    client, db, django_assert_num_queries, path, queries
):
    SiteSettings.load()
    umer = AuthorProfileFactory(user__username="umer").user
    training = CategoryFactory(slug="training")
    legs = Category.objects.create(name="Legs", slug="legs-day", parent=training)
    tag = TagFactory(slug="legs")

    def add(n):
        for _ in range(n):
            PostFactory(
                authors=[AuthorProfileFactory().user, umer],
                categories=[legs],
                tags=[tag, TagFactory()],
                featured_image=MediaFactory(),
            )

    add(3)
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200
    add(27)
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200


def test_wordpress_feed_addresses_answer_301_to_the_feed(client, tree):
    post = PostFactory(slug="knees", published_at=MAY)
    moves = {
        "/feed/rss2/": "/feed/",
        "/feed/rdf/": "/feed/",
        "/category/training/strength/feed/rss/": "/category/training/strength/feed/",
        "/2024/05/feed/rss2/": "/2024/05/feed/",
        "/2024/05/knees/feed/rss2/": "/2024/05/knees/feed/",
        "/comments/feed/rss2/": "/comments/feed/",
    }
    for old, new in moves.items():
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
        assert client.get(new).status_code == 200, new
    assert post.get_absolute_url() == "/2024/05/knees/"
    assert client.get("/feed/nonsense/").status_code == 404
