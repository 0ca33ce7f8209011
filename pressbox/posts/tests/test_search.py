"""Search at /?s=<query>: finds posts, and survives whatever is typed into the box."""

from datetime import UTC, datetime

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from pressbox.lib.tests.html import select, select_one
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post

MAY = datetime(2024, 5, 1, tzinfo=UTC)


@pytest.fixture
def posts(db):
    PostFactory(title="Squat depth explained", body="Hips below knees.", published_at=MAY)
    PostFactory(title="Rowing form", body="Keep a flat back when you squat.", published_at=MAY)
    PostFactory(title="Squat draft", status=Post.Status.DRAFT)


def found(response):
    return sorted(h.text for h in select(response.text, "h2", class_="entry-title"))


def test_search_finds_posts_by_title_and_body(client, posts):
    response = client.get("/?s=squat")
    assert found(response) == ["Rowing form", "Squat depth explained"]
    assert "Search results for “squat”" in select_one(response.text, "h1").text


def test_search_keeps_the_query_in_the_box(client, posts):
    response = client.get("/?s=rowing")
    assert select_one(response.text, "input", name="s").attrs["value"] == "rowing"
    assert found(response) == ["Rowing form"]


def test_search_with_no_match_says_so(client, posts):
    response = client.get("/?s=zumba")
    assertContains(response, "Nothing matched your search.")
    assert found(response) == []


def test_empty_search_lists_nothing(client, posts):
    assert found(client.get("/?s=")) == []


@pytest.mark.parametrize(
    "query",
    [
        "x" * 5000,
        "squat\x00",
        "\x00",
        "\"'; DROP TABLE posts_post; --",
        "<script>alert('s')</script>",
        '"><img src=x onerror=alert(1)>',
        "%",
        "_",
        "\\",
        "\ud7ff\ufffd",
    ],
)
def test_hostile_search_answers_200_with_escaped_output(client, posts, query):
    response = client.get("/", {"s": query})
    assert response.status_code == 200
    assertNotContains(response, "<script>alert")
    assertNotContains(response, "<img src=x")
    assert Post.objects.count() == 3


def test_search_escapes_html_in_the_heading(client, posts):
    response = client.get("/", {"s": "<b>squat</b>"})
    assertContains(response, "&lt;b&gt;squat&lt;/b&gt;")
    assert found(response) == []


def test_search_pagination_carries_the_query(client, posts, site_settings):
    site_settings.posts_per_page = 1
    site_settings.save()
    response = client.get("/?s=squat")
    assert select_one(response.text, "a", rel="next").attrs["href"] == "/page/2/?s=squat"
    assert found(client.get("/page/2/?s=squat")) == ["Squat depth explained"]
    assert client.get("/page/1/?s=squat")["Location"] == "/?s=squat"
