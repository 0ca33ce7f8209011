"""/comments/<id>/edit/ and /comments/<id>/delete/: a commenter's own comment, 10 minutes."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.lib.tests.html import select_one


@pytest.fixture
def mine(client, post, typed):
    """Ann's comment, posted through the form by this client (so it holds the cookie)."""
    CommentFactory(post=post, author_email="ann@example.net")  # known: approved at once
    client.post(f"/comments/post/{post.pk}/", typed)
    return Comment.objects.latest("pk")


def test_posting_sets_a_signed_cookie_for_ten_minutes_and_a_readable_list(client, post, typed):
    response = client.post(f"/comments/post/{post.pk}/", typed)
    comment = Comment.objects.get()
    signed, ids = response.cookies["pressbox_own"], response.cookies["pressbox_own_ids"]
    assert signed["httponly"] and signed["samesite"] == "Lax" and signed["max-age"] == 600
    assert str(comment.pk) in signed.value and ":" in signed.value  # signed
    assert (ids.value, ids["max-age"], ids["httponly"]) == (str(comment.pk), 600, "")


def test_a_second_comment_is_added_to_the_list(client, post, typed, mine):
    response = client.post(f"/comments/post/{post.pk}/", {**typed, "comment": "And more."})
    second = Comment.objects.latest("pk")
    assert response.cookies["pressbox_own_ids"].value == f"{mine.pk}_{second.pk}"


def test_a_comment_kept_as_spam_gets_no_edit_cookie(client, post, typed):
    response = client.post(f"/comments/post/{post.pk}/", {**typed, "url_confirm": "http://x"})
    assert Comment.objects.get().status == Comment.Status.SPAM
    assert "pressbox_own" not in response.cookies


def test_edit_page_shows_the_text_with_a_csrf_token_and_is_not_cached(client, mine):
    response = client.get(f"/comments/{mine.pk}/edit/")
    assert response.status_code == 200
    assert select_one(response.text, "textarea", name="comment").text == mine.body
    assert select_one(response.text, "input", name="csrfmiddlewaretoken")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_editing_saves_the_new_text_rendered_and_keeps_the_status(client, mine):
    response = client.post(f"/comments/{mine.pk}/edit/", {"comment": "Fixed *typo*"})
    edited = Comment.objects.get(pk=mine.pk)
    assert response.status_code == 303
    assert response["Location"] == f"/2024/05/knees/#comment-{mine.pk}"
    assert (edited.body, edited.body_html) == ("Fixed *typo*", "<p>Fixed <em>typo</em></p>\n")
    assert edited.status == Comment.Status.APPROVED


def test_editing_a_held_comment_keeps_it_held_and_visible_to_its_author(client, post, typed):
    client.post(f"/comments/post/{post.pk}/", typed)
    held = Comment.objects.get()
    response = client.post(f"/comments/{held.pk}/edit/", {"comment": "Second thoughts"})
    assert response["Location"].startswith(f"/2024/05/knees/?unapproved={held.pk}&")
    assert Comment.objects.get(pk=held.pk).status == Comment.Status.PENDING
    assertContains(client.get(response["Location"]), "Second thoughts")


def test_an_empty_edit_is_refused_and_changes_nothing(client, mine):
    response = client.post(f"/comments/{mine.pk}/edit/", {"comment": "   "})
    assert response.status_code == 400
    assertContains(response, "Please write a comment.", status_code=400)
    assert Comment.objects.get(pk=mine.pk).body == mine.body


def test_delete_asks_first_then_moves_the_comment_to_the_trash(client, mine):
    confirm = client.get(f"/comments/{mine.pk}/delete/")
    assert confirm.status_code == 200
    assertContains(confirm, "Delete your comment?")
    assert Comment.objects.get(pk=mine.pk).status == Comment.Status.APPROVED
    response = client.post(f"/comments/{mine.pk}/delete/")
    deleted = Comment.objects.get(pk=mine.pk)
    assert (response.status_code, response["Location"]) == (303, "/2024/05/knees/#comments")
    assert (deleted.status, deleted.status_reason) == (
        Comment.Status.TRASH,
        "deleted by its author",
    )
    assert response.cookies["pressbox_own_ids"]["max-age"] == 0
    assert f'id="comment-{mine.pk}"' not in client.get("/2024/05/knees/").text


def test_a_deleted_comment_can_no_longer_be_edited(client, mine):
    client.post(f"/comments/{mine.pk}/delete/")
    assert client.post(f"/comments/{mine.pk}/edit/", {"comment": "Back"}).status_code == 403
    assert Comment.objects.get(pk=mine.pk).status == Comment.Status.TRASH


def test_a_comment_a_moderator_marked_as_spam_can_no_longer_be_changed(client, mine):
    Comment.objects.filter(pk=mine.pk).update(status=Comment.Status.SPAM)
    response = client.get(f"/comments/{mine.pk}/edit/")
    assert response.status_code == 403
    assertContains(response, "it is being reviewed", status_code=403)


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_without_the_cookie_it_is_403_and_nothing_changes(mine, action, db):
    stranger = Client()
    response = stranger.post(f"/comments/{mine.pk}/{action}/", {"comment": "Hijacked"})
    assert response.status_code == 403
    assertContains(response, "Only the person who wrote a comment", status_code=403)
    assert Comment.objects.get(pk=mine.pk).body == mine.body
    assert Comment.objects.get(pk=mine.pk).status == Comment.Status.APPROVED


def test_the_cookie_grants_only_the_comments_it_names(client, mine, post):
    someone_else = CommentFactory(post=post)
    response = client.post(f"/comments/{someone_else.pk}/edit/", {"comment": "Hijacked"})
    assert response.status_code == 403
    assert Comment.objects.get(pk=someone_else.pk).body == someone_else.body


def test_a_forged_cookie_grants_nothing(mine, post, db):
    other = CommentFactory(post=post)
    forger = Client()
    forger.cookies["pressbox_own"] = f"{other.pk}.{int(timezone.now().timestamp())}"
    forger.cookies["pressbox_own_ids"] = str(other.pk)
    assert forger.post(f"/comments/{other.pk}/delete/").status_code == 403
    assert Comment.objects.get(pk=other.pk).status == Comment.Status.APPROVED


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_after_ten_minutes_it_is_403(client, mine, action):
    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)):
        response = client.post(f"/comments/{mine.pk}/{action}/", {"comment": "Late"})
    assert response.status_code == 403
    assert Comment.objects.get(pk=mine.pk).body == mine.body


def test_the_ten_minutes_count_from_the_comment_not_the_cookie(client, mine):
    Comment.objects.filter(pk=mine.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    response = client.get(f"/comments/{mine.pk}/edit/")
    assert response.status_code == 403
    assertContains(response, "that time has passed", status_code=403)


def test_edit_needs_the_csrf_token(post, typed, db):
    browser = Client(enforce_csrf_checks=True)
    CommentFactory(post=post, author_email="ann@example.net")
    browser.post(f"/comments/post/{post.pk}/", typed)  # the comment form needs none
    comment = Comment.objects.latest("pk")
    assert browser.post(f"/comments/{comment.pk}/edit/", {"comment": "x"}).status_code == 403
    page = browser.get(f"/comments/{comment.pk}/edit/")
    token = select_one(page.text, "input", name="csrfmiddlewaretoken").attrs["value"]
    data = {"comment": "With the token", "csrfmiddlewaretoken": token}
    assert browser.post(f"/comments/{comment.pk}/edit/", data).status_code == 303
    assert Comment.objects.get(pk=comment.pk).body == "With the token"


def test_the_post_page_holds_the_edit_and_delete_addresses_for_the_script(client, post):
    section = select_one(client.get("/2024/05/knees/").text, "section", id="comments")
    assert section.attrs["data-edit-url"] == "/comments/0/edit/"
    assert section.attrs["data-delete-url"] == "/comments/0/delete/"
