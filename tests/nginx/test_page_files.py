"""Pages served as files by nginx, with docs/nginx/pressbox.conf as written (issue 7)."""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from tests.nginx.conftest import CONF, ROOT

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/2024/05/knees/"
# Headers the page cache and nginx must send alike on a page.
SHARED_HEADERS = (
    "Content-Type",
    "Cache-Control",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Content-Security-Policy",
    "Permissions-Policy",
    "Strict-Transport-Security",
)


# Only the theme's files: collecting (and compressing) Django admin's takes seconds.
OTHER_APPS = ["admin", "django_otp", "otp_*"]


@pytest.fixture
def post(transactional_db):
    from pressbox.posts.factories import PostFactory
    from pressbox.posts.models import SiteSettings

    SiteSettings.objects.get_or_create(pk=1)  # not made (and a change) by the first visit
    return PostFactory(
        title="Stronger Knees",
        slug="knees",
        body="Squat slowly. " * 100,
        published_at=datetime(2024, 5, 14, tzinfo=UTC),
    )


def test_deploy_md_shows_exactly_the_configuration_tested_here():
    deploy = (ROOT / "docs" / "deploy.md").read_text()
    blocks = re.findall(r"```nginx\n(.*?)```", deploy, re.DOTALL)
    assert CONF.read_text() in blocks


def test_after_the_first_visit_nginx_serves_the_page_from_its_file(nginx, post):
    first = nginx.get(URL)
    assert (first.status, first.headers["X-Cache"]) == (200, "MISS")  # from Pressbox
    again = nginx.get(URL)
    assert again.from_file and again.body == first.body
    for name in SHARED_HEADERS:
        assert again.headers.get(name) == first.headers.get(name), name
    packed = nginx.get(URL, Accept_Encoding="gzip, deflate, br")
    assert packed.from_file and packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.body) == first.body
    assert "Accept-Encoding" in packed.headers["Vary"]
    head = nginx.request("HEAD", URL)
    assert head.from_file and head.body == b""


def test_nginx_answers_304_to_a_reader_holding_the_file(nginx, post):
    nginx.get(URL)
    held = nginx.get(URL)
    assert held.from_file
    again = nginx.get(URL, If_None_Match=held.headers["ETag"])
    assert (again.status, again.body) == (304, b"")
    since = nginx.get(URL, If_Modified_Since=held.headers["Last-Modified"])
    assert since.status == 304


def test_an_edit_removes_the_file_and_nginx_then_serves_the_new_version(nginx, post):
    nginx.get(URL)
    old = nginx.get(URL)
    assert old.from_file
    post.title = "Even Stronger Knees"
    post.save()
    fresh = nginx.get(URL)
    assert fresh.headers["X-Cache"] == "MISS" and "Even Stronger Knees" in fresh.text
    served = nginx.get(URL)
    assert served.from_file and "Even Stronger Knees" in served.text
    # A reader holding the old copy is not told it is current.
    assert nginx.get(URL, If_None_Match=old.headers["ETag"]).status == 200
    assert nginx.get(URL, If_Modified_Since=old.headers["Last-Modified"]).status == 200


def test_signed_in_people_and_pending_messages_reach_pressbox(nginx, post, author):
    nginx.get(URL)
    assert nginx.get(URL).from_file
    client = Client()
    client.force_login(author)
    session = client.cookies["sessionid"].value
    signed_in = nginx.get(URL, Cookie=f"sessionid={session}")
    assert signed_in.status == 200 and not signed_in.from_file
    assert "X-Cache" not in signed_in.headers  # rendered for them, not from any cache
    with_message = nginx.get(URL, Cookie="messages=pending")
    assert not with_message.from_file and "X-Cache" not in with_message.headers
    other_cookies = nginx.get(URL, Cookie="csrftoken=abc; pressbox_commenter=x")
    assert other_cookies.from_file  # the page is the same for them


def test_query_strings_reach_pressbox(nginx, post):
    from pressbox.comments.factories import CommentFactory
    from pressbox.comments.models import Comment

    nginx.get(URL)
    comment = CommentFactory(post=post, status=Comment.Status.PENDING, body="Held for now")
    own = f"{URL}?unapproved={comment.pk}&moderation-hash={comment.moderation_hash()}"
    held = nginx.get(own)
    assert not held.from_file and "Held for now" in held.text
    assert not nginx.get(f"{URL}?utm_source=feed").from_file
    assert "Held for now" not in nginx.get(URL).text


def test_a_comment_posted_through_nginx_shows_on_the_next_view(nginx, post):
    from pressbox.comments.factories import CommentFactory

    CommentFactory(post=post, author_email="ann@example.net")  # known: approved at once
    nginx.get(URL)
    page = nginx.get(URL)
    assert page.from_file
    token = re.search(r'name="timestamp" value="([^"]+)"', page.text).group(1)
    form = {
        "comment": "Posted through nginx",
        "name": "Ann",
        "email": "ann@example.net",
        "url": "",
        "timestamp": token,
    }
    from urllib.parse import urlencode

    sent = nginx.request(
        "POST",
        f"/comments/post/{post.pk}/",
        body=urlencode(form).encode(),
        Content_Type="application/x-www-form-urlencoded",
    )
    assert sent.status == 303, sent.text
    after = nginx.get(URL)
    assert not after.from_file and "Posted through nginx" in after.text
    assert nginx.get(URL).from_file


def test_a_scheduled_post_shows_once_the_worker_runs_its_task(nginx, post):
    from pressbox.posts.factories import PostFactory
    from pressbox.posts.models import Post
    from pressbox.tasks import page_files_expire

    due = datetime.now(UTC) + timedelta(hours=1)
    PostFactory(title="Tomorrow's Squats", status=Post.Status.SCHEDULED, published_at=due)
    nginx.get("/")
    assert nginx.get("/").from_file and "Tomorrow" not in nginx.get("/").text
    with time_machine.travel(due + timedelta(seconds=1)):
        page_files_expire.call()  # what the task worker does at that moment
        home = nginx.get("/")
        assert not home.from_file and "Tomorrow" in home.text


def test_pressbox_own_files_are_never_served(nginx, post):
    nginx.get(URL)
    assert nginx.get("/.pressbox/state").status == 404
    assert nginx.get("/.pressbox/").status == 404


def test_static_files_are_served_by_nginx_with_hashed_names_cached_forever(nginx, post, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=OTHER_APPS)
    manifest = json.loads(Path(nginx.static, "staticfiles.json").read_text())["paths"]
    hashed = manifest["pressbox/theme.css"]
    assert re.fullmatch(r"pressbox/theme\.[0-9a-f]{12}\.css", hashed)
    reply = nginx.get(f"/static/{hashed}", Accept_Encoding="gzip")
    assert reply.status == 200 and reply.headers["Content-Encoding"] == "gzip"
    assert "immutable" in reply.headers["Cache-Control"]
    plain = nginx.get("/static/pressbox/theme.css")
    assert plain.headers["Cache-Control"] == "public, max-age=60"
