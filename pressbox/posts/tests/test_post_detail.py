"""The post page at /<yyyy>/<mm>/<slug>/: every element of the seed page, and who sees it."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from pytest_django.asserts import assertContains, assertNotContains

from pressbox.accounts.factories import AuthorProfileFactory
from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.lib.tests.html import select, select_one, visible_text
from pressbox.posts.factories import CategoryFactory, PostFactory, TagFactory
from pressbox.posts.models import Post

MAY_14 = datetime(2024, 5, 14, 9, 30, tzinfo=UTC)


@pytest.fixture
def seed_post(db):
    """The seed's shape: category, tags, list, two co-authors with bios, a thread."""
    umer = AuthorProfileFactory(user__username="umer", display_name="Umer", bio="Coach.")
    sara = AuthorProfileFactory(user__username="sara", display_name="Sara", bio="Runner.")
    post = PostFactory(
        title="Five Moves for Stronger Knees",
        slug="stronger-knees",
        published_at=MAY_14,
        authors=[umer.user, sara.user],
        categories=[CategoryFactory(name="Fitness", slug="fitness")],
        tags=[TagFactory(name="Knees", slug="knees")],
    )
    first = CommentFactory(post=post, author_name="Ann", author_url="https://ann.example/")
    CommentFactory(post=post, parent=first, author_name="Bob")
    return post


def test_post_page_shows_title_date_category_tags_and_body(client, seed_post):
    html = client.get("/2024/05/stronger-knees/").text
    assert select_one(html, "h1").text == "Five Moves for Stronger Knees"
    published = select_one(html, "time", class_="published")
    assert published.attrs["datetime"].startswith("2024-05-14T09:30:00")
    assert select_one(html, "a", href="/category/fitness/", rel="category").text == "Fitness"
    assert select_one(html, "a", href="/tag/knees/", rel="tag").text == "Knees"
    text = visible_text(html)
    assert "Posted on May 14, 2024" in text
    assert "Posted in Fitness" in text
    assert "Warm up first. It’s the part everyone skips – don’t." in text
    assert [li.text for li in select(html, "li") if li.inside("div", class_="entry-content")] == [
        "Squats",
        "Rows",
    ]


def test_post_page_has_one_author_box_per_co_author_in_byline_order(client, seed_post):
    html = client.get("/2024/05/stronger-knees/").text
    boxes = select(html, "li", class_="author-box")
    assert len(boxes) == 2
    names = [a for a in select(html, "a") if a.inside("li", class_="author-box")]
    assert [(a.attrs["href"], a.text) for a in names] == [
        ("/author/umer/", "Umer"),
        ("/author/sara/", "Sara"),
    ]
    assert [box.text.split()[-1] for box in boxes] == ["Coach.", "Runner."]
    assert "By Umer and Sara" in visible_text(html)
    usernames = seed_post.post_authors.values_list("author__username", flat=True)
    assert list(usernames) == ["umer", "sara"]


def test_author_box_avatar_has_alt_text_and_points_at_an_identicon(client, seed_post):
    html = client.get("/2024/05/stronger-knees/").text
    avatars = [img for img in select(html, "img") if img.inside("li", class_="author-box")]
    assert [img.attrs["alt"] for img in avatars] == ["Umer’s avatar", "Sara’s avatar"]
    umer = seed_post.authors.get(username="umer")
    assert avatars[0].attrs["src"] == umer.profile.avatar_url
    assert client.get(avatars[0].attrs["src"])["Content-Type"] == "image/svg+xml"


def test_comments_are_threaded_with_avatar_link_date_permalink_and_reply(client, seed_post):
    ann, bob = Comment.objects.order_by("pk")
    html = client.get("/2024/05/stronger-knees/").text
    bob_li = select_one(html, "li", id=f"comment-{bob.pk}")
    assert bob_li.inside("ol", class_="children") and bob_li.inside("li", id=f"comment-{ann.pk}")
    avatar = select_one(html, "img", src=f"/avatar/{ann.avatar_key}.svg")
    assert avatar.inside("li", id=f"comment-{ann.pk}")
    link = select_one(html, "a", href="https://ann.example/")
    assert link.text == "Ann" and {"nofollow", "ugc"} <= set(link.attrs["rel"].split())
    when = [t for t in select(html, "time") if t.inside("a", href=f"#comment-{ann.pk}")]
    assert when[0].attrs["datetime"].startswith(ann.created_at.strftime("%Y-%m-%dT%H:%M:%S"))
    assert select_one(html, "a", href=f"?replytocom={bob.pk}#respond").text == "Reply"
    assert "2 Comments on “Five Moves for Stronger Knees”" in visible_text(html)


def test_leave_a_reply_form_has_labels_privacy_notice_and_unticked_consent(client, seed_post):
    html = client.get("/2024/05/stronger-knees/").text
    form = select_one(html, "form", id="commentform")
    assert form.attrs["action"].startswith(f"/comments/post/{seed_post.pk}/")
    assert form.attrs["method"] == "post"
    labels = [
        label.text for label in select(html, "label") if label.inside("form", id="commentform")
    ]
    assert {"Comment *", "Name *", "Email *", "Website"} <= set(labels)
    text = visible_text(html)
    assert "Leave a Reply" in text
    assert "Your email address will not be published. Required fields are marked *" in text
    consent = select_one(html, "input", name="save_details")
    assert consent.attrs["type"] == "checkbox" and "checked" not in consent.attrs


def test_held_and_spam_comments_are_not_shown_to_readers(client, seed_post):
    CommentFactory(post=seed_post, body="Held for now", status=Comment.Status.PENDING)
    CommentFactory(post=seed_post, body="Buy pills", status=Comment.Status.SPAM)
    response = client.get("/2024/05/stronger-knees/")
    assertNotContains(response, "Held for now")
    assertNotContains(response, "Buy pills")
    assert seed_post.comments.count() == 4


def test_draft_is_hidden_from_anonymous(client, db):
    post = PostFactory(slug="secret-plan", status=Post.Status.DRAFT, published_at=MAY_14)
    assert client.get("/2024/05/secret-plan/").status_code == 404
    assert Post.objects.published().filter(pk=post.pk).exists() is False


def test_scheduled_post_appears_when_its_time_comes_with_no_cron(client, db):
    with time_machine.travel(datetime(2024, 5, 1, tzinfo=UTC), tick=False):
        post = PostFactory(slug="tomorrow", published_at=MAY_14)
        assert post.status == Post.Status.SCHEDULED
        assert client.get("/2024/05/tomorrow/").status_code == 404
    with time_machine.travel(MAY_14 + timedelta(minutes=1), tick=False):
        assertContains(client.get("/2024/05/tomorrow/"), "<h1", status_code=200)
    post.refresh_from_db()
    assert post.status == Post.Status.SCHEDULED
    assert post.display_status == "Published"


def test_wrong_date_in_the_url_answers_301_to_the_canonical_one(client, seed_post):
    response = client.get("/2019/01/stronger-knees/?replytocom=1")
    assert response.status_code == 301
    assert response["Location"] == "/2024/05/stronger-knees/?replytocom=1"


def test_unknown_slug_is_404(client, seed_post):
    assert client.get("/2024/05/no-such-post/").status_code == 404


def test_closed_comments_show_a_notice_instead_of_the_form(client, db):
    PostFactory(slug="closed", published_at=MAY_14, comments_open=False)
    response = client.get("/2024/05/closed/")
    assertContains(response, "Comments are closed.")
    assert select(response.text, "form", id="commentform") == []


@pytest.mark.usefixtures("no_page_cache")  # counts the queries of a render
def test_post_page_costs_the_same_queries_with_200_comments_as_with_2(
    client, seed_post, django_assert_max_num_queries, django_assert_num_queries
):
    client.get("/2024/05/stronger-knees/")  # prime the site-settings and nav caches
    with django_assert_max_num_queries(10) as small:
        client.get("/2024/05/stronger-knees/")
    expected = len(small.captured_queries)  # now: the query log is a bounded deque
    parent = Comment.objects.first()
    CommentFactory.create_batch(100, post=seed_post)
    CommentFactory.create_batch(98, post=seed_post, parent=parent)
    client.get("/2024/05/stronger-knees/")  # new comments: the cached related posts go too
    with django_assert_num_queries(expected):
        response = client.get("/2024/05/stronger-knees/")
    assertContains(response, "200 Comments on")


@pytest.mark.parametrize("value", ["abc", "²", "99999999999999999999999", "-1", "1\x00"])
def test_odd_unapproved_values_are_ignored_without_a_500(client, seed_post, value):
    response = client.get("/2024/05/stronger-knees/", {"unapproved": value, "moderation-hash": "x"})
    assert response.status_code == 200
    assert len(select(response.text, "li", class_="comment")) == 2


def test_meta_description_prefers_the_seo_field_over_the_excerpt(client, db):
    from pressbox.posts.factories import PostFactory

    post = PostFactory(excerpt="The excerpt.", seo_description="What searchers should read.")
    response = client.get(post.get_absolute_url())
    assert '<meta name="description" content="What searchers should read.">' in response.text
