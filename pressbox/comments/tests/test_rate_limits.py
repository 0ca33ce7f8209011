"""Hourly limits per IP and per email address on POST /comments/post/<post_id>/."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from pressbox.comments import protection
from pressbox.comments.models import Comment
from pressbox.lib.tests.html import select_one

NOW = datetime(2024, 6, 1, 12, 5, tzinfo=UTC)
MESSAGE = (
    "You have posted several comments in a short time. Please wait a few minutes and try again."
)


@pytest.fixture
def limits(site_settings):
    site_settings.comment_rate_per_ip = 2
    site_settings.comment_rate_per_email = 3
    site_settings.save()
    return site_settings


def post_as(client, post, typed, *, n, ip="198.51.100.7", email=None, when=NOW):
    data = {**typed, "comment": f"Comment number {n}", "email": email or typed["email"]}
    with time_machine.travel(when, tick=False):
        data["timestamp"] = protection.form_token(post.pk, aged=True)
        return client.post(f"/comments/post/{post.pk}/", data, REMOTE_ADDR=ip)


def test_over_the_ip_limit_answers_429_keeping_the_text(client, post, typed, limits):
    for n in range(2):
        assert post_as(client, post, typed, n=n, email=f"p{n}@example.net").status_code == 303
    response = post_as(client, post, typed, n=9, email="other@example.net")
    assert response.status_code == 429
    assert select_one(response.text, "div", id="comment-form-errors").text == MESSAGE
    assert select_one(response.text, "textarea", name="comment").text == "Comment number 9"
    assert Comment.objects.count() == 2


def test_over_the_email_limit_from_several_ips_answers_429(client, post, typed, limits):
    for n in range(3):
        assert post_as(client, post, typed, n=n, ip=f"203.0.113.{n}").status_code == 303
    response = post_as(client, post, typed, n=9, ip="203.0.113.99")
    assert response.status_code == 429
    assert Comment.objects.count() == 3


def test_the_email_limit_ignores_case(client, post, typed, limits):
    for n, email in enumerate(["ann@example.net", "ANN@example.net", "Ann@Example.NET"]):
        post_as(client, post, typed, n=n, ip=f"203.0.113.{n}", email=email)
    assert post_as(client, post, typed, n=9, ip="203.0.113.9").status_code == 429


def test_invalid_attempts_do_not_count(client, post, typed, limits):
    for n in range(5):
        bad = {**typed, "email": "not-an-email"}
        assert post_as(client, post, bad, n=n, email="nope").status_code == 400
    assert post_as(client, post, typed, n=9).status_code == 303
    assert Comment.objects.count() == 1


def test_the_limit_starts_again_the_next_hour(client, post, typed, limits):
    for n in range(3):
        post_as(client, post, typed, n=n, email=f"p{n}@example.net")
    later = NOW + timedelta(hours=1)
    response = post_as(client, post, typed, n=9, email="p9@example.net", when=later)
    assert response.status_code == 303
    assert Comment.objects.count() == 3


def test_zero_means_no_limit(client, post, typed, limits):
    limits.comment_rate_per_ip = limits.comment_rate_per_email = 0
    limits.save()
    for n in range(12):
        assert post_as(client, post, typed, n=n).status_code == 303
    assert Comment.objects.count() == 12


def test_signed_in_writers_are_not_limited(client, post, typed, limits):
    client.force_login(post.authors.get())
    for n in range(4):
        assert post_as(client, post, typed, n=n).status_code == 303
    assert Comment.objects.count() == 4


def test_cache_keys_name_neither_the_ip_nor_the_email(client, post, typed, limits):
    from django.core.cache import caches

    post_as(client, post, typed, n=1)
    keys = [key for key in caches["default"]._cache if "comment-rate" in key]
    assert len(keys) == 2
    assert not any("198.51.100.7" in key or "example.net" in key.lower() for key in keys)


def test_a_file_cache_keeps_counting_for_the_whole_hour(
    client, post, typed, limits, settings, tmp_path
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    for n, minutes in enumerate([0, 20]):
        when = NOW + timedelta(minutes=minutes)
        post_as(client, post, typed, n=n, email=f"p{n}@example.net", when=when)
    # The file cache re-stores an incremented value with its 5-minute default timeout;
    # the counter must still be there 20 minutes later.
    late = NOW + timedelta(minutes=45)
    assert post_as(client, post, typed, n=9, email="p9@example.net", when=late).status_code == 429
