"""/dashboard/comments/<pk>/moderate/: the one-click Approve, Spam, Trash and Restore."""

import pytest
from django.test import Client

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment, SpamFilterState
from pressbox.dashboard.tests.posts_helpers import sign_in


def status_of(comment):
    return Comment.objects.get(pk=comment.pk).status


@pytest.mark.parametrize("role", ["editor", "administrator"])
def test_approve_goes_back_to_the_same_tab_search_and_page(client, db, role):
    sign_in(client, role, username="eddie")
    held = CommentFactory(author_name="Ann", status="pending")
    back = "/dashboard/comments/?status=pending&q=ann&page=2"
    response = client.post(
        f"/dashboard/comments/{held.pk}/moderate/", {"status": "approved", "next": back},
        follow=True,
    )  # fmt: skip
    assert response.redirect_chain == [(back, 302)]
    assert "The comment by Ann was approved." in response.text
    held.refresh_from_db()
    assert (held.status, held.status_reason) == ("approved", "approved by eddie")


def test_the_spam_button_teaches_the_classifier(client, db):
    sign_in(client, "editor")
    held = CommentFactory(status="pending", body="Cheap pills at www.pills.example")
    client.post(f"/dashboard/comments/{held.pk}/moderate/", {"status": "spam"})
    learnt = SpamFilterState.objects.get()
    assert (learnt.spam_documents, learnt.ham_documents) == (1, 0)
    assert Comment.objects.get(pk=held.pk).trained_as == "spam"


def test_not_spam_approves_and_unlearns_the_spam(client, db):
    sign_in(client, "editor")
    caught = CommentFactory(status="pending", body="Is this spam? No.")
    client.post(f"/dashboard/comments/{caught.pk}/moderate/", {"status": "spam"})
    client.post(f"/dashboard/comments/{caught.pk}/moderate/", {"status": "approved"})
    learnt = SpamFilterState.objects.get()
    assert (learnt.spam_documents, learnt.ham_documents) == (0, 1)
    assert status_of(caught) == "approved"


def test_restore_takes_a_trashed_comment_back_to_the_pending_queue(client, db):
    sign_in(client, "editor")
    binned = CommentFactory(author_name="Val", status="trash")
    response = client.post(
        f"/dashboard/comments/{binned.pk}/moderate/", {"status": "pending"}, follow=True
    )
    assert "The comment by Val was restored to the pending queue." in response.text
    assert status_of(binned) == "pending"


def test_asked_for_json_it_answers_with_the_message_and_the_new_row(client, db):
    sign_in(client, "editor")
    held = CommentFactory(author_name="Ann", status="pending")
    response = client.post(
        f"/dashboard/comments/{held.pk}/moderate/",
        {"status": "approved", "next": "/dashboard/comments/?status=all"},
        headers={"Accept": "application/json"},
    )
    answer = response.json()
    assert (answer["message"], answer["was"], answer["status"]) == (
        "The comment by Ann was approved.", "pending", "approved",
    )  # fmt: skip
    assert f'<tr id="comment-{held.pk}"' in answer["row"]
    assert 'aria-label="Unapprove comment by Ann"' in answer["row"]
    assert 'name="csrfmiddlewaretoken"' in answer["row"]
    assert status_of(held) == "approved"


def test_an_unknown_status_a_get_or_an_unknown_comment_change_nothing(client, db):
    sign_in(client, "editor")
    held = CommentFactory(status="pending")
    url = f"/dashboard/comments/{held.pk}/moderate/"
    assert client.post(url, {"status": "published"}).status_code == 400
    assert client.get(url).status_code == 405
    assert (
        client.post("/dashboard/comments/999999/moderate/", {"status": "spam"}).status_code == 404
    )
    assert status_of(held) == "pending"


def test_a_way_back_to_another_site_or_page_is_ignored(client, db):
    sign_in(client, "editor")
    held = CommentFactory(status="pending")
    url = f"/dashboard/comments/{held.pk}/moderate/"
    for elsewhere in ["https://evil.example/dashboard/comments/", "/dashboard/users/"]:
        response = client.post(url, {"status": "spam", "next": elsewhere})
        assert response["Location"] == "/dashboard/comments/"


@pytest.mark.parametrize("role", ["author", "contributor"])
def test_authors_and_contributors_get_403(client, db, role):
    sign_in(client, role)
    held = CommentFactory(status="pending")
    response = client.post(f"/dashboard/comments/{held.pk}/moderate/", {"status": "approved"})
    assert response.status_code == 403
    assert status_of(held) == "pending"


def test_a_post_without_the_csrf_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "editor")
    held = CommentFactory(status="pending")
    response = client.post(f"/dashboard/comments/{held.pk}/moderate/", {"status": "approved"})
    assert response.status_code == 403
    assert status_of(held) == "pending"
