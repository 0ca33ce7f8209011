"""The full-page cache for anonymous GETs (pressbox/lib/pagecache.py, issue 7)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.lib import pagecache
from pressbox.lib.tests.html import select_one
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post
from pressbox.urls import urlpatterns as site_urls

URL = "/2024/05/knees/"


@pytest.fixture
def post(site_settings):
    """A post on a site whose settings row exists (creating it invalidates pages)."""
    return PostFactory(
        title="Stronger Knees", slug="knees", published_at=datetime(2024, 5, 14, tzinfo=UTC)
    )


def fetch_twice(client, url=URL, **extra):
    first = client.get(url, **extra)
    second = client.get(url, **extra)
    return first, second


def test_a_second_anonymous_get_is_a_byte_identical_hit(client, post):
    first, second = fetch_twice(client)
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert second.status_code == 200
    assert second.content == first.content
    drop = {"X-Cache"}
    assert [h for h in first.items() if h[0] not in drop] == [
        h for h in second.items() if h[0] not in drop
    ]


def test_a_hit_runs_no_query(client, post, django_assert_num_queries):
    client.get(URL)
    with django_assert_num_queries(0):
        assert client.get(URL)["X-Cache"] == "HIT"


def test_head_is_answered_from_a_cached_get(client, post):
    client.get(URL)
    assert client.head(URL)["X-Cache"] == "HIT"


def test_redirects_and_not_found_are_cached_too(client, post):
    assert fetch_twice(client, "/2024/05/knees")[1]["X-Cache"] == "HIT"  # no slash: 301
    first, second = fetch_twice(client, "/2024/05/nothing-here/")
    assert (first.status_code, second.status_code, second["X-Cache"]) == (404, 404, "HIT")


def test_a_signed_in_user_neither_reads_nor_fills_the_cache(client, post, author):
    client.force_login(author)
    first, second = fetch_twice(client)
    assert "X-Cache" not in first and "X-Cache" not in second
    client.logout()
    assert client.get(URL)["X-Cache"] == "MISS"


def test_a_held_comment_link_bypasses_the_cache(client, post):
    comment = CommentFactory(post=post, status=Comment.Status.PENDING, body="Held for now")
    client.get(URL)
    query = {"unapproved": comment.pk, "moderation-hash": comment.moderation_hash()}
    first, second = fetch_twice(client, URL, query_params=query)
    assert "X-Cache" not in second
    assert "Held for now" in second.text
    assert "Held for now" not in client.get(URL).text


def test_other_query_strings_are_cached_apart(client, post):
    client.get(URL)
    assert client.get("/", {"s": "knees"})["X-Cache"] == "MISS"
    assert client.get("/", {"s": "knees"})["X-Cache"] == "HIT"
    assert client.get("/", {"s": "other"})["X-Cache"] == "MISS"


def test_post_is_never_cached(client, post):
    client.get(URL)
    response = client.post(f"/comments/post/{post.pk}/", {})
    assert "X-Cache" not in response
    assert response.status_code == 400


def set_cookie_view(request):
    response = HttpResponse("hello")
    response.set_cookie("flavour", "oat")
    return response


def private_view(request):
    response = HttpResponse("hello")
    response["Cache-Control"] = "private"
    return response


urlpatterns = [
    path("cookie/", set_cookie_view),
    path("private/", private_view),
    *site_urls,
]


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("url", ["/cookie/", "/private/"])
def test_responses_with_a_cookie_or_private_are_not_cached(client, db, url):
    assert fetch_twice(client, url)[1]["X-Cache"] == "MISS"


def test_the_setting_turns_it_off(client, post, settings):
    settings.PRESSBOX_PAGE_CACHE = False
    assert "X-Cache" not in fetch_twice(client)[1]


# Invalidation -------------------------------------------------------------------------


def test_saving_a_post_shows_the_change(client, post):
    fetch_twice(client)
    post.title = "Even Stronger Knees"
    post.save()
    response = client.get(URL)
    assert response["X-Cache"] == "MISS"
    assert "Even Stronger Knees" in response.text


def test_approving_a_comment_shows_it(client, post):
    comment = CommentFactory(post=post, status=Comment.Status.PENDING, body="Now approved")
    assert "Now approved" not in fetch_twice(client)[1].text
    comment.status = Comment.Status.APPROVED
    comment.save()
    assert "Now approved" in client.get(URL).text


def test_a_new_held_comment_keeps_the_cache(client, post):
    fetch_twice(client)
    CommentFactory(post=post, status=Comment.Status.PENDING)
    assert client.get(URL)["X-Cache"] == "HIT"


def test_editing_an_author_profile_shows_the_change(client, post):
    fetch_twice(client)
    profile = post.authors.get().profile
    profile.display_name = "Coach Renamed"
    profile.save()
    assert "Coach Renamed" in client.get(URL).text


def test_changing_site_settings_shows_the_change(client, post, site_settings):
    fetch_twice(client, "/")
    site_settings.title = "A Brand New Title"
    site_settings.save()
    assert "A Brand New Title" in client.get("/").text


def test_tagging_a_post_shows_the_change(client, post):
    from pressbox.posts.models import Tag

    fetch_twice(client)
    post.tags.add(Tag.objects.create(name="Mobility", slug="mobility"))
    assert "Mobility" in client.get(URL).text


def test_a_signed_in_change_without_signals_invalidates(client, post, author):
    fetch_twice(client)
    Post.objects.filter(pk=post.pk).update(title="Quietly Renamed")  # no signal
    client.force_login(author)
    client.post("/dashboard/anything/", {})
    client.logout()
    assert "Quietly Renamed" in client.get(URL).text


def test_a_scheduled_post_appears_on_the_cached_home_page_at_its_time(client, post):
    start = datetime(2025, 1, 1, 9, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        PostFactory(
            title="Tomorrow's Squats",
            status=Post.Status.SCHEDULED,
            published_at=start + timedelta(hours=2),
        )
        assert "Tomorrow" not in fetch_twice(client, "/")[1].text
        assert client.get("/")["X-Cache"] == "HIT"
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        assert client.get("/")["X-Cache"] == "HIT"
    with time_machine.travel(start + timedelta(hours=2, seconds=1), tick=False):
        response = client.get("/")
        assert response["X-Cache"] == "MISS"
        assert "Tomorrow" in response.text
        assert client.get("/")["X-Cache"] == "HIT"


def test_a_new_deploy_does_not_serve_old_pages(client, post, settings, tmp_path):
    before = pagecache.deploy_version()
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "staticfiles.json").write_text('{"paths": {}}')
    assert pagecache.deploy_version() != before


def test_the_generation_survives_a_lost_key(client, post):
    fetch_twice(client)
    from django.core.cache import cache

    cache.delete(pagecache.GENERATION_KEY)  # evicted: must not come back to an old value
    post.title = "Renamed After Eviction"
    post.save()
    assert "Renamed After Eviction" in client.get(URL).text


# The comment form on a cached page ----------------------------------------------------


def test_the_comment_form_from_a_cached_page_posts(client, post):
    CommentFactory(post=post, author_email="ann@example.net")  # known: auto-approved
    start = datetime(2025, 1, 1, 9, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        client.get(URL)
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        cached = client.get(URL)
        assert cached["X-Cache"] == "HIT"
        timestamp = select_one(cached.text, "input", name="timestamp").attrs["value"]
        response = client.post(
            f"/comments/post/{post.pk}/",
            {
                "comment": "Posted from a cached page",
                "name": "Ann",
                "email": "ann@example.net",
                "url": "",
                "timestamp": timestamp,
            },
        )
        assert response.status_code == 303
        page = client.get(URL)
        assert page["X-Cache"] == "MISS"
        assert "Posted from a cached page" in page.text


def test_a_client_holding_the_page_gets_304(client, post):
    first = client.get(URL)
    etag = first["ETag"]
    assert client.get(URL)["ETag"] == etag
    again = client.get(URL, headers={"If-None-Match": etag})
    assert (again.status_code, again.content) == (304, b"")
    post.title = "Changed"
    post.save()
    assert client.get(URL, headers={"If-None-Match": etag}).status_code == 200


# Encodings and validators -------------------------------------------------------------

BROWSER = "gzip, deflate, br, zstd"


def test_a_cached_page_is_sent_in_the_readers_encoding_with_no_compression_on_a_hit(
    client, post, monkeypatch
):
    from pressbox.lib import compression

    plain = client.get(URL)
    first = client.get(URL, headers={"Accept-Encoding": BROWSER})
    assert (first["X-Cache"], first["Content-Encoding"]) == ("HIT", "br")  # made once here

    def no_compressing(*args, **kwargs):
        raise AssertionError("a hit compressed the page")

    monkeypatch.setattr(compression, "compress", no_compressing)
    hit = client.get(URL, headers={"Accept-Encoding": BROWSER})
    assert (hit["X-Cache"], hit["Content-Encoding"]) == ("HIT", "br")
    assert hit.content == first.content
    assert compression.decompress(hit.content, "br") == plain.content
    assert int(hit["Content-Length"]) == len(hit.content)
    assert "Accept-Encoding" in hit["Vary"]


def test_a_first_visit_stores_the_encoding_it_was_sent_in(client, post, monkeypatch):
    from pressbox.lib import compression

    miss = client.get(URL, headers={"Accept-Encoding": "gzip"})
    assert (miss["X-Cache"], miss["Content-Encoding"]) == ("MISS", "gzip")
    monkeypatch.setattr(compression, "compress", None)  # any compressing would fail
    hit = client.get(URL, headers={"Accept-Encoding": "gzip"})
    assert (hit["X-Cache"], hit.content) == ("HIT", miss.content)


@pytest.mark.parametrize("path", [URL, "/feed/", "/feed/json/"])
def test_a_compressed_cached_copy_still_answers_304(client, post, path):
    first = client.get(path, headers={"Accept-Encoding": "br"})
    hit = client.get(path, headers={"Accept-Encoding": "br"})
    assert hit["X-Cache"] == "HIT" and hit["ETag"] == first["ETag"]
    again = client.get(path, headers={"Accept-Encoding": "br", "If-None-Match": hit["ETag"]})
    assert (again.status_code, again.content) == (304, b"")
    plain = client.get(path, headers={"If-None-Match": hit["ETag"]})
    assert plain.status_code == 200 and "Content-Encoding" not in plain  # not that copy


def test_a_cached_page_has_a_last_modified_that_a_change_always_moves(client, post):
    from django.utils.http import http_date

    start = datetime(2025, 1, 1, 9, 0, 0, 400_000, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        assert "Last-Modified" not in client.get(URL)  # not before its second is over
    with time_machine.travel(start + timedelta(seconds=5), tick=False):
        hit = client.get(URL)
        assert hit["Last-Modified"] == http_date(start.timestamp() // 1 + 1)
        since = client.get(URL, headers={"If-Modified-Since": hit["Last-Modified"]})
        assert (since.status_code, since.content) == (304, b"")
    with time_machine.travel(start + timedelta(seconds=5, milliseconds=100), tick=False):
        post.title = "Changed Within The Second"
        post.save()
        changed = client.get(URL, headers={"If-Modified-Since": hit["Last-Modified"]})
        assert changed.status_code == 200
        assert "Changed Within The Second" in changed.text
    with time_machine.travel(start + timedelta(seconds=9), tick=False):
        later = client.get(URL)
        assert later["Last-Modified"] != hit["Last-Modified"]
        assert client.get(URL, headers={"If-Modified-Since": hit["Last-Modified"]}).status_code == (
            200
        )


def test_feeds_keep_their_own_last_modified_from_the_cache(client, post):
    first = client.get("/feed/")
    hit = client.get("/feed/")
    assert hit["X-Cache"] == "HIT"
    assert hit["Last-Modified"] == first["Last-Modified"]  # the newest item's date
    since = client.get("/feed/", headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304


def test_browsers_are_told_to_check_a_cached_page_each_time(client, post):
    """With a Last-Modified and no lifetime, a browser would guess one and show an old
    page; `no-cache` makes it ask each time, and the answer is a cheap 304."""
    client.get(URL)
    assert client.get(URL)["Cache-Control"] == "no-cache"
    assert client.get("/feed/")["Cache-Control"] == "no-cache"
