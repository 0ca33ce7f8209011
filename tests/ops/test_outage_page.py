"""The outage page (pressbox.lib.outage): what a reader gets while the database is
unreachable, wherever in the request the failure happens (issue 8). The real outage,
a PostgreSQL restart under `pressbox serve`, is in test_postgres_restart.py."""

from __future__ import annotations

import pytest
from django.db.utils import InterfaceError, OperationalError
from django.template.loader import get_template
from django.test import Client
from redis.exceptions import ConnectionError as RedisDown

from pressbox.comments import protection
from pressbox.comments.views import submit
from pressbox.lib import pagecache
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import SiteSettings

DOWN = OperationalError('connection to server at "127.0.0.1", port 5432 failed')


@pytest.fixture
def reader():
    return Client(raise_request_exception=False)


def test_a_view_that_cannot_reach_the_database_answers_a_clean_503(db, reader, monkeypatch):
    post = PostFactory()
    monkeypatch.setattr(protection, "form_token", lambda *a, **k: (_ for _ in ()).throw(DOWN))

    reply = reader.get(f"/comments/token/{post.pk}/")

    assert reply.status_code == 503
    assert reply["Retry-After"] == "30"
    assert reply["Cache-Control"] == "no-store"
    page = reply.content.decode()
    assert "Back in a moment" in page and "Nothing you sent before was lost" in page
    assert "127.0.0.1" not in page and "Traceback" not in page
    source = get_template("500.html").template.source
    assert source[source.index("<style>") : source.index("</style>")] in page  # same CSP hash


def test_a_middleware_that_cannot_reach_the_database_also_gets_the_503_page(
    db, reader, monkeypatch
):
    monkeypatch.setattr(SiteSettings, "load", classmethod(lambda cls: (_ for _ in ()).throw(DOWN)))
    reply = reader.get("/")  # the page cache asks for the settings before any view runs
    assert reply.status_code == 503
    assert "Back in a moment" in reply.content.decode()


def test_scripts_asking_for_json_get_the_reason_as_json(db, reader, monkeypatch):
    post = PostFactory()
    broken = InterfaceError("connection already closed")
    monkeypatch.setattr(protection, "form_token", lambda *a, **k: (_ for _ in ()).throw(broken))
    reply = reader.get(f"/comments/token/{post.pk}/", headers={"Accept": "application/json"})
    assert reply.status_code == 503
    assert "cannot reach its database" in reply.json()["error"]


def test_a_bug_is_still_an_ordinary_500(db, reader, monkeypatch):
    post = PostFactory()
    monkeypatch.setattr(protection, "form_token", lambda *a, **k: 1 / 0)
    reply = reader.get(f"/comments/token/{post.pk}/")
    assert reply.status_code == 500
    assert "Something went wrong" in reply.content.decode()


def test_a_comment_sent_during_the_outage_is_shown_back_to_copy(db, reader, monkeypatch):
    monkeypatch.setattr(submit, "get_object_or_404", lambda *a, **k: (_ for _ in ()).throw(DOWN))
    typed = "Squats <3 -- & lunges"
    reply = reader.post("/comments/post/1/", {"comment": typed, "name": "Ann"})
    assert reply.status_code == 503
    assert "Squats &lt;3 -- &amp; lunges</textarea>" in reply.content.decode()


def test_an_unreachable_redis_cache_gets_the_503_page_too(db, reader, monkeypatch):
    refused = RedisDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    monkeypatch.setattr(pagecache, "current_generation", lambda: (_ for _ in ()).throw(refused))
    reply = reader.get("/")  # the page cache asks Redis first
    assert reply.status_code == 503
    assert "cannot reach its cache server" in reply.content.decode()
