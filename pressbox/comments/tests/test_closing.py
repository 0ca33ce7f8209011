"""Comments closed on one post, or on every post N days after publication."""

from datetime import UTC, datetime

import pytest
import time_machine
from pytest_django.asserts import assertContains, assertNotContains

from pressbox.comments import protection
from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.lib.tests.html import select, select_one
from pressbox.posts.factories import PostFactory

PUBLISHED = datetime(2024, 5, 14, tzinfo=UTC)  # the `post` fixture


@pytest.fixture
def closes_after_30_days(site_settings):
    site_settings.close_comments_after_days = 30
    site_settings.save()


def post_comment(client, post, typed):
    typed["timestamp"] = protection.form_token(post.pk, aged=True)
    return client.post(f"/comments/post/{post.pk}/", typed)


def test_a_post_closed_by_its_writer_says_so_and_offers_no_form(client, db):
    closed = PostFactory(comments_open=False)
    CommentFactory(post=closed)
    html = client.get(closed.get_absolute_url()).text
    assert select_one(html, "p", class_="no-comments").text == "Comments are closed."
    assert not select(html, "form", id="commentform")
    assert not select(html, "a", class_="comment-reply-link")


@time_machine.travel(datetime(2024, 6, 12, 23, 59, tzinfo=UTC), tick=False)
def test_comments_stay_open_until_the_day_limit(client, post, closes_after_30_days, typed):
    assert post.accepts_comments()
    assert select(client.get("/2024/05/knees/").text, "form", id="commentform")
    assert post_comment(client, post, typed).status_code == 303
    assert Comment.objects.count() == 1


@time_machine.travel(datetime(2024, 6, 13, tzinfo=UTC), tick=False)
def test_comments_close_by_themselves_after_the_day_limit(client, post, closes_after_30_days):
    CommentFactory(post=post)
    response = client.get("/2024/05/knees/")
    assert not post.accepts_comments()
    assertContains(response, '<p class="no-comments">Comments are closed.</p>')
    assertNotContains(response, "comment-reply-link")


@time_machine.travel(datetime(2024, 6, 13, tzinfo=UTC), tick=False)
def test_a_post_to_a_closed_post_is_refused_with_that_message_keeping_the_text(
    client, post, closes_after_30_days, typed
):
    response = post_comment(client, post, typed)
    assert response.status_code == 400
    errors = select_one(response.text, "div", id="comment-form-errors")
    assert errors.text == "Comments are closed."
    assert select_one(response.text, "textarea", name="comment").text == typed["comment"]
    assert not Comment.objects.exists()


def test_a_closed_post_refuses_even_a_bad_token_with_one_message(client, db, typed):
    closed = PostFactory(comments_open=False)
    response = client.post(f"/comments/post/{closed.pk}/", {**typed, "timestamp": "forged"})
    assert response.status_code == 400
    errors = select_one(response.text, "div", id="comment-form-errors")
    assert errors.text == "Comments are closed."
    assert not Comment.objects.exists()


@time_machine.travel(datetime(2030, 1, 1, tzinfo=UTC), tick=False)
def test_zero_days_never_closes(client, post, site_settings, typed):
    assert site_settings.close_comments_after_days == 0
    assert post.accepts_comments()
    assert post_comment(client, post, typed).status_code == 303
