"""The home page at / and its /page/<n>/ pagination."""

from datetime import UTC, datetime, timedelta

from pytest_django.asserts import assertContains, assertNotContains

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.lib.tests.html import select
from pressbox.posts.factories import CategoryFactory, PostFactory, TagFactory
from pressbox.posts.models import Post

START = datetime(2024, 1, 1, 12, tzinfo=UTC)


def make_posts(n, **kwargs):
    return [
        PostFactory(
            title=f"Workout {i}", slug=f"workout-{i}", published_at=START + timedelta(i), **kwargs
        )
        for i in range(n)
    ]


def titles(response):
    return [h.text for h in select(response.text, "h2", class_="entry-title")]


def test_home_lists_published_posts_newest_first(client, db):
    make_posts(3)
    PostFactory(title="Draft idea", status=Post.Status.DRAFT)
    response = client.get("/")
    assert titles(response) == ["Workout 2", "Workout 1", "Workout 0"]
    assertNotContains(response, "Draft idea")


def test_home_shows_summary_link_and_approved_comment_count(client, db):
    post = PostFactory(title="Knees", slug="knees", published_at=START, excerpt="Short teaser.")
    CommentFactory.create_batch(2, post=post)
    CommentFactory(post=post, status=Comment.Status.PENDING)
    response = client.get("/")
    assertContains(response, "Short teaser.")
    assert select(response.text, "a", href="/2024/01/knees/", rel="bookmark")[0].text == "Knees"
    assert select(response.text, "a", href="/2024/01/knees/#comments")[0].text == "2 comments"


def test_home_paginates_at_posts_per_page(client, site_settings):
    site_settings.posts_per_page = 2
    site_settings.save()
    make_posts(5)
    assert titles(client.get("/")) == ["Workout 4", "Workout 3"]
    page2 = client.get("/page/2/")
    assert titles(page2) == ["Workout 2", "Workout 1"]
    assert select(page2.text, "a", rel="next")[0].attrs["href"] == "/page/3/"
    assert select(page2.text, "a", rel="prev")[0].attrs["href"] == "/"


def test_page_past_the_end_is_404(client, db):
    make_posts(3)
    assert client.get("/page/99/").status_code == 404
    assert client.get("/page/0/").status_code == 404


def test_page_1_answers_301_to_the_list_itself(client, db):
    make_posts(1)
    response = client.get("/page/1/")
    assert response.status_code == 301
    assert response["Location"] == "/"


def test_empty_blog_home_says_nothing_is_published_yet(client, db):
    assertContains(client.get("/"), "Nothing has been published here yet.")


def test_scheduled_post_stays_off_the_home_page_until_its_time(client, db):
    PostFactory(title="Next week", published_at=datetime.now(UTC) + timedelta(days=7))
    assertNotContains(client.get("/"), "Next week")
    assert Post.objects.get().status == Post.Status.SCHEDULED


def test_home_costs_the_same_queries_with_30_posts_as_with_3(count_queries, site_settings):
    site_settings.posts_per_page = 50
    site_settings.save()
    training = CategoryFactory(slug="training")
    legs = CategoryFactory(slug="legs", parent=CategoryFactory(slug="strength", parent=training))
    extras = {"categories": [legs, training], "tags": [TagFactory()]}
    posts = make_posts(3, **extras)
    CommentFactory(post=posts[0])
    few = count_queries("/")
    PostFactory.create_batch(27, published_at=START, **extras)
    assert count_queries("/") == few


def test_a_new_post_moves_the_pagination_at_once(client, site_settings, settings):
    """The list's total is cached, but under the generation every publication moves."""
    settings.PRESSBOX_PAGE_CACHE = False
    site_settings.posts_per_page = 2
    site_settings.save()
    make_posts(2)
    assert client.get("/page/2/").status_code == 404
    PostFactory(title="Third", published_at=START + timedelta(days=9))
    assert client.get("/page/2/").status_code == 200
    Post.objects.get(title="Third").delete()
    assert client.get("/page/2/").status_code == 404


def test_a_category_list_counts_posts_filed_under_two_of_its_branches_once(client, db):
    parent = CategoryFactory(name="Training", slug="training")
    legs = CategoryFactory(name="Legs", slug="legs", parent=parent)
    arms = CategoryFactory(name="Arms", slug="arms", parent=parent)
    PostFactory(title="Both", categories=[legs, arms], published_at=START)
    PostFactory(title="Legs only", categories=[legs], published_at=START + timedelta(1))
    assert titles(client.get("/category/training/")) == ["Legs only", "Both"]


def test_sticky_posts_head_the_first_page_only(client, site_settings):
    site_settings.posts_per_page = 2
    site_settings.save()
    make_posts(4)
    Post.objects.filter(title="Workout 0").update(sticky=True)
    assert titles(client.get("/")) == ["Workout 0", "Workout 3", "Workout 2"]
    assert titles(client.get("/page/2/")) == ["Workout 1", "Workout 0"]
