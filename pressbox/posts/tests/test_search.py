"""Search at /?s=<query>: ranked results with highlighted snippets, paginated, and a
safe answer to whatever is typed into the box."""

from datetime import UTC, datetime

import mf2py
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains, assertNotContains

from pressbox.lib.tests.html import select, select_one
from pressbox.posts.factories import CategoryFactory, PostFactory
from pressbox.posts.models import Post

MAY = datetime(2024, 5, 1, tzinfo=UTC)


@pytest.fixture
def posts(db):
    PostFactory(title="Rowing form", body="Keep a flat back when you squat.", published_at=MAY)
    PostFactory(title="Squat depth explained", body="Hips below knees.", published_at=MAY)
    PostFactory(title="Squat draft", body="Squat.", status=Post.Status.DRAFT)


def found(response):
    """The result titles, in the order shown."""
    return [h.text for h in select(response.text, "h2", class_="entry-title")]


def test_results_are_ranked_by_relevance_title_first(client, posts):
    response = client.get("/?s=squat")
    assert found(response) == ["Squat depth explained", "Rowing form"]
    assert select_one(response.text, "h1").text == "Search results for “squat”"
    assert "2 posts matched." in select_one(response.text, "p", class_="search-count").text


def test_each_result_shows_a_snippet_with_the_matches_marked(client, posts):
    response = client.get("/?s=squats")
    summaries = select(response.text, "div", class_="entry-summary")
    assert [m.text for m in select(response.text, "mark")] == ["squat"]
    assert "Keep a flat back when you squat" in summaries[1].text


def test_html_in_a_post_is_escaped_in_its_snippet(client, db):
    PostFactory(title="Markup", body="Write `<img src=x onerror=alert(1)>` then squat.")
    response = client.get("/?s=squat")
    assertNotContains(response, "<img src=x")
    assertContains(response, "&lt;img src=x onerror=alert(1)&gt; then <mark>squat</mark>")


def test_results_are_h_entries_in_an_h_feed(client, posts):
    items = mf2py.parse(doc=client.get("/?s=rowing").text, url="http://testserver/")["items"]
    (feed,) = [item for item in items if "h-feed" in item["type"]]
    (entry,) = feed["children"]
    assert entry["type"] == ["h-entry"]
    assert entry["properties"]["name"] == ["Rowing form"]
    assert "flat back" in entry["properties"]["summary"][0]
    assert entry["properties"]["url"][0].startswith("http://testserver/2024/05/")


def test_search_keeps_the_query_in_the_box(client, posts):
    response = client.get("/?s=rowing")
    assert select_one(response.text, "input", name="s").attrs["value"] == "rowing"
    assert found(response) == ["Rowing form"]


def test_search_with_no_match_says_so(client, posts):
    response = client.get("/?s=zumba")
    assertContains(response, "Nothing matched your search.")
    assert found(response) == []


def test_empty_search_lists_nothing(client, posts):
    response = client.get("/?s=")
    assert response.status_code == 200
    assert found(response) == []


def test_drafts_are_never_found(client, posts):
    assert "Squat draft" not in found(client.get("/?s=draft"))


def test_an_edit_shows_in_the_next_search(client, posts):
    post = Post.objects.get(title="Rowing form")
    post.title = "Rowing drills"
    post.save()
    assert found(client.get("/?s=drills")) == ["Rowing drills"]
    assert found(client.get("/?s=form")) == []


def test_search_results_are_kept_out_of_search_engines(client, posts):
    response = client.get("/?s=squat")
    assert select_one(response.text, "meta", name="robots").attrs["content"] == "noindex, follow"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "x" * 5000,
        "squat " * 1000,
        "squat\x00",
        "\x00",
        '"unbalanced quote',
        'squat"',
        '"""',
        "*",
        "**squat**",
        "squat AND OR NOT depth",
        "NEAR(squat depth, 2)",
        "title:squat",
        "{title}: squat",
        "^squat",
        "squat:*",
        "!squat & | <-> (",
        "\\",
        "%",
        "_",
        "'; DROP TABLE posts_post; --",
        "<script>alert('s')</script>",
        '"><img src=x onerror=alert(1)>',
        "\ud7ff\ufffd",
        "Übungen straße 筋トレ",
        "💪🏽 squat 🏋️‍♀️",
        "\u200b\u202e",
    ],
)
def test_any_query_answers_200_with_a_safe_page(client, posts, query):
    response = client.get("/", {"s": query})
    assert response.status_code == 200
    assertNotContains(response, "<script>alert")
    assertNotContains(response, "<img src=x")
    assert Post.objects.count() == 3


def test_search_escapes_html_in_the_heading(client, posts):
    response = client.get("/", {"s": "<b>squat</b>"})
    assertContains(response, "&lt;b&gt;squat&lt;/b&gt;")
    assert found(response) == []  # "b" is a word too, and no post has it


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200))
def test_arbitrary_text_never_breaks_the_page(client, posts, text):
    response = client.get("/", {"s": text})
    assert response.status_code == 200


def test_search_pagination_carries_the_query(client, posts, site_settings):
    site_settings.posts_per_page = 1
    site_settings.save()
    response = client.get("/?s=squat")
    assert select_one(response.text, "a", rel="next").attrs["href"] == "/page/2/?s=squat"
    page_two = client.get("/page/2/?s=squat")
    assert found(page_two) == ["Rowing form"]
    assert select_one(page_two.text, "a", rel="prev").attrs["href"] == "/?s=squat"
    assert client.get("/page/1/?s=squat")["Location"] == "/?s=squat"
    assert client.get("/page/3/?s=squat").status_code == 404


def test_the_count_says_more_past_the_window(client, db, monkeypatch):
    monkeypatch.setattr("pressbox.search.backends.WINDOW", 2)
    for n in range(3):
        PostFactory(title=f"Squat log {n}", body="Squat.")
    response = client.get("/?s=squat")
    assert select_one(response.text, "p", class_="search-count").text == "More than 2 posts match."
    assert len(found(response)) == 2


@pytest.mark.parametrize("matching", [3, 30])
def test_a_search_page_costs_the_same_queries_for_any_number_of_matches(
    client, db, count_queries, matching
):
    category = CategoryFactory(name="Legs", slug="legs")
    for n in range(matching):
        PostFactory(title=f"Squat log {n}", body="Squat deep.", categories=[category])
    # Settings come from the cache; then the search count and hits, and the page's
    # posts with their authors and categories.
    assert count_queries("/?s=squat") == 5
