"""The form's signed timestamp: GET /comments/token/<post_id>/, and how POST checks it."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from pytest_django.asserts import assertContains

from pressbox.comments import protection
from pressbox.comments.models import Comment
from pressbox.lib.tests.html import select_one
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)


def token_made(post, *, ago):
    with time_machine.travel(NOW - ago, tick=False):
        return protection.form_token(post.pk)


def posted(client, post, typed, token):
    with time_machine.travel(NOW, tick=False):
        return client.post(f"/comments/post/{post.pk}/", {**typed, "timestamp": token})


def test_token_endpoint_answers_json_that_no_one_may_store(client, post):
    response = client.get(f"/comments/token/{post.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert protection.form_token_problem(response.json()["timestamp"], post_id=post.pk) == (
        protection.TOO_FAST
    )
    assert not response.cookies


def test_token_endpoint_is_the_same_for_every_visitor(client, post, author):
    with time_machine.travel(NOW, tick=False):
        anonymous = client.get(f"/comments/token/{post.pk}/").json()
        client.force_login(author)
        signed_in = client.get(f"/comments/token/{post.pk}/").json()
    assert anonymous == signed_in


def test_token_endpoint_is_404_for_a_draft_or_unknown_post(client, db):
    draft = PostFactory(status=Post.Status.DRAFT)
    assert client.get(f"/comments/token/{draft.pk}/").status_code == 404
    assert client.get("/comments/token/999999/").status_code == 404


def test_token_endpoint_refuses_post(client, post):
    assert client.post(f"/comments/token/{post.pk}/").status_code == 405


def test_the_page_carries_a_token_for_its_post(client, post):
    html = client.get("/2024/05/knees/").text
    field = select_one(html, "input", name="timestamp")
    assert field.attrs["type"] == "hidden"
    assert protection.form_token_problem(field.attrs["value"], post_id=post.pk) in {
        None,
        protection.TOO_FAST,
    }
    form = select_one(html, "form", id="commentform")
    assert form.attrs["data-token-url"] == f"/comments/token/{post.pk}/"


def test_a_token_a_minute_old_is_accepted(client, post, typed):
    response = posted(client, post, typed, token_made(post, ago=timedelta(minutes=1)))
    assert response.status_code == 303
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("ago", "message"),
    [
        (timedelta(seconds=1), protection.TOO_FAST),
        (timedelta(days=3, seconds=1), protection.TOO_OLD),
    ],
    ids=["too-fast", "too-old"],
)
def test_too_fast_or_too_old_is_refused_politely_keeping_the_text(
    client, post, typed, ago, message
):
    response = posted(client, post, typed, token_made(post, ago=ago))
    assert response.status_code == 400
    errors = select_one(response.text, "div", id="comment-form-errors")
    assert errors.text == message
    assert select_one(response.text, "textarea", name="comment").text == typed["comment"]
    assert select_one(response.text, "input", name="email").attrs["value"] == typed["email"]
    assert not Comment.objects.exists()


def test_the_second_click_after_a_refusal_posts_the_comment(client, post, typed):
    first = posted(client, post, typed, token_made(post, ago=timedelta(seconds=1)))
    fresh = select_one(first.text, "input", name="timestamp").attrs["value"]
    assert fresh != typed["timestamp"]
    assert "data-token-fresh" in select_one(first.text, "form", id="commentform").attrs
    second = posted(client, post, typed, fresh)  # at once: the fresh token is ready
    assert second.status_code == 303
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "12:abc:def", "{pk}:1n4Fbc:forged-signature-xxxxxxxxxxxxxxxxxxxxxxxx"],
    ids=["missing", "garbage", "unsigned", "forged"],
)
def test_a_missing_or_forged_token_is_refused(client, post, typed, token):
    response = posted(client, post, typed, token.format(pk=post.pk))
    assert response.status_code == 400
    assertContains(response, "This form could not be checked", status_code=400)
    assert not Comment.objects.exists()


def test_a_token_made_for_another_post_is_refused(client, post, typed):
    other = PostFactory()
    response = posted(client, post, typed, token_made(other, ago=timedelta(minutes=1)))
    assert response.status_code == 400
    assertContains(response, "This form could not be checked", status_code=400)
    assert not Comment.objects.exists()


def test_a_token_signed_under_another_secret_is_refused(client, post, typed, settings):
    token = token_made(post, ago=timedelta(minutes=1))
    settings.SECRET_KEY = "another-site-entirely-0123456789abcdef"
    response = posted(client, post, typed, token)
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_replayed_form_is_not_stored_twice(client, post, typed):
    token = token_made(post, ago=timedelta(minutes=1))
    assert posted(client, post, typed, token).status_code == 303
    again = posted(client, post, typed, token)
    assert again.status_code == 400
    assertContains(again, "You have already posted this comment.", status_code=400)
    assert Comment.objects.count() == 1
