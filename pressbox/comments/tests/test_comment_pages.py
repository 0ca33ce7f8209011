"""Comment pages on the post page: `<permalink>comment-page-<n>/`, cut by thread."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.comments.tests.bulk import T0, bulk_threads
from pressbox.lib.tests.html import select, select_one
from pressbox.posts.models import SiteSettings
from pressbox.posts.seo import absolute


@pytest.fixture
def paged(site_settings):
    site_settings.comments_per_page = 2
    site_settings.save()
    return site_settings


def thread_ids(html):
    return [
        int(li.attrs["id"].removeprefix("comment-")) for li in select(html, "li", class_="depth-1")
    ]


def test_threads_are_cut_into_pages_oldest_first(client, post, paged):
    a, b, c = bulk_threads(post, 3, replies=1)
    first = client.get("/2024/05/knees/")
    second = client.get("/2024/05/knees/comment-page-2/")
    assert (first.status_code, second.status_code) == (200, 200)
    assert thread_ids(first.text) == [a.pk, b.pk]
    assert thread_ids(second.text) == [c.pk]
    reply = Comment.objects.get(parent=c)
    assert select_one(second.text, "li", id=f"comment-{reply.pk}").inside(
        "li", id=f"comment-{c.pk}"
    )
    assert Comment.objects.count() == 6


def test_newest_threads_first_puts_the_latest_thread_on_page_one(client, post, paged):
    paged.comment_order = SiteSettings.CommentOrder.NEWEST
    paged.save()
    a, b, c = bulk_threads(post, 3, replies=2)
    assert thread_ids(client.get("/2024/05/knees/").text) == [c.pk, b.pk]
    second = client.get("/2024/05/knees/comment-page-2/").text
    assert thread_ids(second) == [a.pk]
    replies = [li.attrs["id"] for li in select(second, "li", class_="depth-2")]
    assert replies == [f"comment-{r.pk}" for r in Comment.objects.filter(parent=a)]


def test_heading_counts_every_approved_comment_of_the_post(client, post, paged):
    bulk_threads(post, 3, replies=1)
    CommentFactory(post=post, status=Comment.Status.PENDING)
    heading = select_one(
        client.get("/2024/05/knees/comment-page-2/").text, "h2", id="comments-title"
    )
    assert heading.text.startswith("6 Comments on")


def test_navigation_links_older_and_newer_pages(client, post, paged):
    bulk_threads(post, 5)
    html = client.get("/2024/05/knees/comment-page-2/").text
    nav = select_one(html, "nav", class_="comment-navigation")
    assert nav.attrs["aria-label"] == "Comment pages"
    older = select_one(html, "a", class_="prev")
    newer = select_one(html, "a", class_="next")
    assert (older.text, older.attrs["href"]) == ("← Older comments", "/2024/05/knees/#comments")
    assert (newer.text, newer.attrs["href"]) == (
        "Newer comments →",
        "/2024/05/knees/comment-page-3/#comments",
    )
    assert "Comment page 2 of 3" in nav.text


def test_newest_first_navigation_goes_to_older_comments_on_later_pages(client, post, paged):
    paged.comment_order = SiteSettings.CommentOrder.NEWEST
    paged.save()
    bulk_threads(post, 3)
    html = client.get("/2024/05/knees/").text
    older = select_one(html, "a", class_="prev")
    assert older.attrs["href"] == "/2024/05/knees/comment-page-2/#comments"
    assert older.attrs["rel"] == "next"
    assert not select(html, "a", class_="next")


def test_a_post_with_few_comments_has_no_comment_navigation(client, post):
    bulk_threads(post, 3)
    html = client.get("/2024/05/knees/").text
    assert not select(html, "nav", class_="comment-navigation")
    assert len(thread_ids(html)) == 3


def test_page_one_is_the_bare_permalink(client, post, paged):
    bulk_threads(post, 3)
    response = client.get("/2024/05/knees/comment-page-1/")
    assert (response.status_code, response["Location"]) == (301, "/2024/05/knees/")
    html = client.get("/2024/05/knees/").text
    assert select_one(html, "link", rel="canonical").attrs["href"] == absolute("/2024/05/knees/")


def test_a_later_page_is_its_own_canonical_address(client, post, paged):
    bulk_threads(post, 3)
    html = client.get("/2024/05/knees/comment-page-2/").text
    canonical = select_one(html, "link", rel="canonical").attrs["href"]
    assert canonical == absolute("/2024/05/knees/comment-page-2/")
    assert "Comment page 2" in select_one(html, "title").text


@pytest.mark.parametrize("path", ["comment-page-3/", "comment-page-99999999/"])
def test_a_page_past_the_last_is_404(client, post, paged, path):
    bulk_threads(post, 3)
    assert client.get(f"/2024/05/knees/{path}").status_code == 404


def test_a_post_without_comments_has_only_page_one(client, post, paged):
    assert client.get("/2024/05/knees/").status_code == 200
    assert client.get("/2024/05/knees/comment-page-2/").status_code == 404


def test_zero_per_page_shows_every_thread_on_one_page(client, post, site_settings):
    site_settings.comments_per_page = 0
    site_settings.save()
    bulk_threads(post, 60)
    assert len(thread_ids(client.get("/2024/05/knees/").text)) == 60
    assert client.get("/2024/05/knees/comment-page-2/").status_code == 404


SHAPES = {
    SiteSettings.Permalink.MONTH_AND_NAME: "/2024/05/knees/comment-page-2/",
    SiteSettings.Permalink.DAY_AND_NAME: "/2024/05/14/knees/comment-page-2/",
    SiteSettings.Permalink.POST_NAME: "/knees/comment-page-2/",
    SiteSettings.Permalink.NUMERIC: "/archives/{pk}/comment-page-2/",
}


@pytest.mark.parametrize("structure", list(SiteSettings.Permalink))
def test_every_permalink_structure_has_comment_pages_and_the_others_301(
    client, post, paged, structure
):
    paged.permalink_structure = structure
    paged.save()
    bulk_threads(post, 3)
    urls = {k: v.format(pk=post.pk) for k, v in SHAPES.items()}
    canonical = urls.pop(structure)
    response = client.get(canonical)
    assert response.status_code == 200
    assert select_one(response.text, "link", rel="canonical").attrs["href"] == absolute(canonical)
    for other in urls.values():
        response = client.get(other)
        assert (response.status_code, response["Location"]) == (301, canonical), other


def test_a_page_named_like_a_post_slug_is_not_given_comment_pages(client, db):
    from pressbox.posts.factories import PageFactory

    PageFactory(slug="about")
    assert client.get("/about/comment-page-2/").status_code == 404


def test_depth_follows_the_site_setting_of_five_by_default(client, post):
    chain = [CommentFactory(post=post)]
    for _ in range(6):
        chain.append(CommentFactory(post=post, parent=chain[-1]))
    html = client.get("/2024/05/knees/").text
    depths = [select_one(html, "li", id=f"comment-{c.pk}").attrs["class"] for c in chain]
    assert [d.split()[1] for d in depths] == [f"depth-{n}" for n in (1, 2, 3, 4, 5, 5, 5)]


def test_an_approved_reply_stays_visible_when_its_thread_root_is_trashed(client, post, paged):
    root = CommentFactory(post=post, created_at=T0)
    reply = CommentFactory(post=post, parent=root, body="Still here", created_at=T0)
    Comment.objects.filter(pk=root.pk).update(status=Comment.Status.TRASH)
    html = client.get("/2024/05/knees/").text
    assert thread_ids(html) == [reply.pk]
    assert "Still here" in html


def test_held_comment_is_shown_to_its_author_on_its_threads_page(client, post, paged, typed):
    heads = bulk_threads(post, 3)
    typed["parent"] = heads[2].pk
    location = client.post(f"/comments/post/{post.pk}/", typed)["Location"]
    held = Comment.objects.get(parent=heads[2])
    assert held.status == Comment.Status.PENDING
    assert location.startswith(f"/2024/05/knees/comment-page-2/?unapproved={held.pk}&")
    response = client.get(location)
    li = select_one(response.text, "li", id=f"comment-{held.pk}")
    assert li.inside("li", id=f"comment-{heads[2].pk}")
    assert "private" in response["Cache-Control"]
    assert f"comment-{held.pk}" not in client.get("/2024/05/knees/comment-page-2/").text


def test_held_top_level_comment_may_open_the_page_after_the_last(client, post, paged, typed):
    bulk_threads(post, 2)
    location = client.post(f"/comments/post/{post.pk}/", typed)["Location"]
    held = Comment.objects.get(status=Comment.Status.PENDING)
    assert location.startswith("/2024/05/knees/comment-page-2/?unapproved=")
    html = client.get(location).text
    assert f'id="comment-{held.pk}"' in html
    assert "Comment page 2 of 2" in select_one(html, "nav", class_="comment-navigation").text
    assert client.get("/2024/05/knees/comment-page-2/").status_code == 404


@pytest.mark.usefixtures("no_page_cache")  # counts the queries of a render
def test_reading_a_page_costs_the_same_queries_for_5_or_500_comments(client, post, db):
    def queries():
        client.get("/2024/05/knees/comment-page-2/")  # settings and menu are cached after
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/2024/05/knees/comment-page-2/").status_code == 200
        return len(captured)

    settings = SiteSettings.load()
    settings.comments_per_page = 2
    settings.save()
    bulk_threads(post, 3, replies=1, start=0)
    few = queries()
    bulk_threads(post, 100, replies=4, start=1000)
    many = queries()
    assert Comment.objects.count() == 506
    # The post and its authors, categories and tags; a count; the page's threads; the
    # previous and next posts (related posts come from the cache).
    assert few == many == 8


@pytest.mark.usefixtures("no_page_cache")  # counts the queries of a render
def test_replies_of_a_page_are_fetched_with_it_not_one_query_each(client, post, paged):
    bulk_threads(post, 2, replies=10)
    client.get("/2024/05/knees/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/2024/05/knees/")
    comment_queries = [q for q in captured if "comments_comment" in q["sql"]]
    assert len(comment_queries) == 2, [q["sql"] for q in comment_queries]


def test_threads_posted_at_the_same_moment_keep_id_order_across_pages(client, post, paged):
    same = [CommentFactory(post=post, created_at=T0) for _ in range(3)]
    assert thread_ids(client.get("/2024/05/knees/").text) == [same[0].pk, same[1].pk]
    assert thread_ids(client.get("/2024/05/knees/comment-page-2/").text) == [same[2].pk]
