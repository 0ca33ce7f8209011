"""/dashboard/comments/<pk>/reply/: a moderator answers from the queue."""

import pytest
from django.test import Client

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.dashboard.tests.posts_helpers import sign_in


def test_replying_to_a_held_comment_approves_it_and_publishes_the_reply(client, db):
    eddie = sign_in(client, "editor", username="eddie")
    held = CommentFactory(author_name="Ann", status="pending")
    back = "/dashboard/comments/?q=ann"
    response = client.post(
        f"/dashboard/comments/{held.pk}/reply/", {"body": "Thanks, Ann!", "next": back},
        follow=True,
    )  # fmt: skip
    assert response.redirect_chain == [(back, 302)]
    assert "Your reply to Ann is published." in response.text
    reply = Comment.objects.get(parent=held)
    assert (reply.body, reply.status, reply.user) == ("Thanks, Ann!", "approved", eddie)
    assert Comment.objects.get(pk=held.pk).status == "approved"


def test_the_reply_page_shows_the_comment_and_a_box(client, db):
    sign_in(client, "editor")
    held = CommentFactory(author_name="Ann", body="Loved the *squat* tips", status="pending")
    response = client.get(f"/dashboard/comments/{held.pk}/reply/")
    assert "<h1>Reply to Ann</h1>" in response.text
    assert "<em>squat</em>" in response.text
    assert "replying approves it" in response.text


def test_an_empty_reply_is_refused_at_the_box(client, db):
    sign_in(client, "editor")
    held = CommentFactory(status="pending")
    response = client.post(f"/dashboard/comments/{held.pk}/reply/", {"body": "  "})
    assert response.status_code == 200
    assert "Please write a reply." in response.text
    assert not Comment.objects.filter(parent=held).exists()
    assert Comment.objects.get(pk=held.pk).status == "pending"


def test_a_reply_to_spam_is_refused_and_the_text_kept(client, db):
    sign_in(client, "editor")
    caught = CommentFactory(status="spam")
    response = client.post(f"/dashboard/comments/{caught.pk}/reply/", {"body": "Hello?"})
    assert "Restore this comment before replying to it." in response.text
    assert "Hello?</textarea>" in response.text
    assert not Comment.objects.filter(parent=caught).exists()


@pytest.mark.parametrize("role", ["author", "contributor"])
def test_authors_and_contributors_get_403(client, db, role):
    sign_in(client, role)
    held = CommentFactory(status="pending")
    response = client.post(f"/dashboard/comments/{held.pk}/reply/", {"body": "Thanks!"})
    assert response.status_code == 403
    assert not Comment.objects.filter(parent=held).exists()


def test_a_post_without_the_csrf_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "editor")
    held = CommentFactory(status="pending")
    response = client.post(f"/dashboard/comments/{held.pk}/reply/", {"body": "Thanks!"})
    assert response.status_code == 403
    assert not Comment.objects.filter(parent=held).exists()
