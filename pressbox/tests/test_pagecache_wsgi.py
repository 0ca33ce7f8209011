"""Page-cache hits answered in front of Django (pressbox/lib/pagecache_wsgi.py, issue 7).

The application is called as a WSGI server calls `pressbox.wsgi.application`; a counter
around Django's own handler tells which requests reached Django.
"""

import io
import sys
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from pressbox.lib.pagecache_wsgi import CachedPages
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post

URL = "/2024/05/knees/"


class Counting:
    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.handler(environ, start_response)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: the request must not close the connection holding
    the test's transaction (PostgreSQL would lose it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def django_app():
    return Counting()


@pytest.fixture
def app(django_app):
    return CachedPages(django_app)


@pytest.fixture
def post(site_settings):
    site_settings.save()  # the row itself, not only the copy in the cache
    return PostFactory(
        title="Stronger Knees",
        slug="knees",
        body="Squat slowly. " * 50,
        published_at=datetime(2024, 5, 14, tzinfo=UTC),
    )


def call(app, path=URL, *, method="GET", query="", **headers):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        **{f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()},
    }
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"], seen["headers"] = status, response_headers

    body = b"".join(app(environ, start_response))
    return int(seen["status"].split()[0]), dict(seen["headers"]), body


def test_a_hit_is_answered_without_django_with_the_same_bytes_and_headers(app, django_app, post):
    call(app)  # miss: Django renders and stores
    status, django_headers, django_body = call(app)  # Django's middleware path also hits
    calls = django_app.calls
    assert calls >= 1
    status, headers, body = call(app)
    assert status == 200
    assert django_app.calls == calls  # Django never saw it
    assert headers["X-Cache"] == "HIT"
    assert body == django_body and b"Stronger Knees" in body
    assert headers == django_headers  # CSP, X-Frame-Options, ETag, Last-Modified…
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert headers["X-Frame-Options"] == "DENY"


def test_the_readers_encoding_is_served_from_its_own_copy(app, django_app, post):
    call(app, **{"Accept-Encoding": "gzip, br"})
    calls = django_app.calls
    status, headers, body = call(app, **{"Accept-Encoding": "gzip, br"})
    assert django_app.calls == calls
    assert headers["Content-Encoding"] == "br"
    assert headers["Content-Length"] == str(len(body))


@pytest.mark.parametrize(
    ("how", "extra"),
    [
        ("signed in", {"Cookie": "sessionid=abc"}),
        ("a message waiting", {"Cookie": "theme=dark; messages=xyz"}),
        ("a conditional GET", {"If-None-Match": '"whatever"'}),
        ("a range", {"Range": "bytes=0-10"}),
    ],
)
def test_requests_the_front_cannot_judge_go_to_django(app, django_app, post, how, extra):
    call(app)
    calls = django_app.calls
    call(app, **extra)
    assert django_app.calls == calls + 1, how


def test_query_strings_and_head_go_to_django(app, django_app, post):
    call(app)
    calls = django_app.calls
    call(app, query="unapproved=1&moderation-hash=x")
    call(app, method="HEAD")
    assert django_app.calls == calls + 2


def test_a_host_django_refused_is_never_answered_from_the_cache(app, django_app, post):
    call(app)
    status, _, _ = call(app, Host="evil.example")
    assert status == 400
    assert django_app.calls >= 2


def test_https_pages_are_kept_apart_from_http_ones(app, django_app, post, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    call(app)
    calls = django_app.calls
    call(app, **{"X-Forwarded-Proto": "https"})
    assert django_app.calls == calls + 1  # a miss: rendered for https
    call(app, **{"X-Forwarded-Proto": "https"})
    assert django_app.calls == calls + 1


def test_a_change_is_shown_at_once(app, post):
    call(app)
    call(app)
    post.title = "Knees Renamed"
    post.save()
    status, headers, body = call(app)
    assert headers["X-Cache"] == "MISS"
    assert b"Knees Renamed" in body


def test_a_scheduled_post_due_sends_the_request_to_django_which_shows_it(app, post):
    start = datetime(2025, 1, 1, 9, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        PostFactory(
            title="Tomorrow's Squats",
            status=Post.Status.SCHEDULED,
            published_at=start + timedelta(hours=2),
        )
        call(app, "/")
        assert call(app, "/")[1]["X-Cache"] == "HIT"
    with time_machine.travel(start + timedelta(hours=2, seconds=1), tick=False):
        status, headers, body = call(app, "/")
        assert headers["X-Cache"] == "MISS"
        assert "Tomorrow’s Squats".encode() in body


def test_a_cache_failure_leaves_the_answer_to_django(app, django_app, post):
    call(app)
    calls = django_app.calls
    with mock.patch.object(CachedPages, "generation", side_effect=OSError):
        status, _, body = call(app)
    assert django_app.calls == calls + 1
    assert status == 200 and b"Stronger Knees" in body


def test_with_the_page_cache_off_every_request_goes_to_django(app, django_app, post, settings):
    settings.PRESSBOX_PAGE_CACHE = False
    call(app)
    call(app)
    assert django_app.calls == 2
