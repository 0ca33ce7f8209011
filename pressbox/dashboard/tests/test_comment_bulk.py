"""/dashboard/comments/bulk/: the selected comments approved, spammed, trashed or deleted."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment, SpamFilterState
from pressbox.dashboard.tests.posts_helpers import sign_in

URL = "/dashboard/comments/bulk/"


def statuses(comments):
    return sorted(Comment.objects.filter(pk__in=[c.pk for c in comments]).values_list(
        "status", flat=True))  # fmt: skip


@pytest.mark.parametrize(
    ("action", "said"),
    [("approved", "approved"), ("spam", "marked as spam"), ("trash", "moved to the trash")],
)
def test_each_selected_comment_is_moderated(client, db, action, said):
    sign_in(client, "editor")
    chosen = CommentFactory.create_batch(2, status="pending")
    other = CommentFactory(status="pending")
    back = "/dashboard/comments/?page=1"
    response = client.post(
        URL, {"action": action, "ids": [c.pk for c in chosen], "next": back}, follow=True
    )
    assert response.redirect_chain == [(back, 302)]
    assert f"2 comments were {said}." in response.text
    assert statuses(chosen) == [action, action]
    assert statuses([other]) == ["pending"]


def test_bulk_spam_teaches_the_classifier_each_comment(client, db):
    sign_in(client, "editor")
    chosen = CommentFactory.create_batch(3, status="pending", body="Casino bonus now")
    client.post(URL, {"action": "spam", "ids": [c.pk for c in chosen]})
    assert SpamFilterState.objects.get().spam_documents == 3


def test_nothing_selected_or_no_action_chosen_is_said_and_changes_nothing(client, db):
    sign_in(client, "editor")
    held = CommentFactory(status="pending")
    response = client.post(URL, {"action": "approved"}, follow=True)
    assert "Select at least one comment first." in response.text
    response = client.post(URL, {"action": "", "ids": [held.pk]}, follow=True)
    assert "Choose what to do with the selected comments." in response.text
    assert statuses([held]) == ["pending"]


def test_delete_permanently_asks_first_then_deletes(client, db):
    sign_in(client, "editor")
    junk = CommentFactory.create_batch(2, status="spam")
    ids = [c.pk for c in junk]
    asked = client.post(URL, {"action": "delete", "ids": ids})
    assert "Delete 2 comments permanently?" in asked.text
    assert Comment.objects.filter(pk__in=ids).count() == 2

    done = client.post(URL, {"action": "delete", "ids": ids, "confirm": "yes"}, follow=True)
    assert "2 comments deleted permanently." in done.text
    assert not Comment.objects.filter(pk__in=ids).exists()


def test_only_spam_and_trash_can_be_deleted(client, db):
    sign_in(client, "editor")
    shown, binned = CommentFactory(status="approved"), CommentFactory(status="trash")
    asked = client.post(URL, {"action": "delete", "ids": [shown.pk, binned.pk]})
    assert "1 of the selected comments is neither spam nor in the trash" in asked.text
    client.post(URL, {"action": "delete", "ids": [shown.pk, binned.pk], "confirm": "yes"})
    assert list(Comment.objects.values_list("pk", flat=True)) == [shown.pk]


def test_a_trashed_comment_with_a_reply_that_stays_is_kept(client, db):
    sign_in(client, "editor")
    binned = CommentFactory(status="trash")
    reply = CommentFactory(post=binned.post, parent=binned, status="approved")
    lone = CommentFactory(status="trash")
    response = client.post(
        URL, {"action": "delete", "ids": [binned.pk, lone.pk], "confirm": "yes"}, follow=True
    )
    assert "1 comment deleted permanently. 1 kept: it has replies." in response.text
    assert set(Comment.objects.values_list("pk", flat=True)) == {binned.pk, reply.pk}


def test_a_spam_thread_chosen_whole_is_deleted_whole(client, db):
    sign_in(client, "editor")
    head = CommentFactory(status="spam")
    tail = CommentFactory(post=head.post, parent=head, status="spam")
    client.post(URL, {"action": "delete", "ids": [head.pk, tail.pk], "confirm": "yes"})
    assert not Comment.objects.exists()


def test_deleting_needs_the_delete_permission(client, db):
    moderator = sign_in(client, "author")
    moderator.user_permissions.add(Permission.objects.get(codename="change_comment"))
    junk = CommentFactory(status="spam")
    response = client.post(URL, {"action": "delete", "ids": [junk.pk], "confirm": "yes"})
    assert response.status_code == 403
    assert Comment.objects.filter(pk=junk.pk).exists()


@pytest.mark.parametrize("role", ["author", "contributor"])
def test_authors_and_contributors_get_403(client, db, role):
    sign_in(client, role)
    held = CommentFactory(status="pending")
    assert client.post(URL, {"action": "approved", "ids": [held.pk]}).status_code == 403
    assert statuses([held]) == ["pending"]


def test_a_post_without_the_csrf_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "editor")
    junk = CommentFactory(status="spam")
    response = client.post(URL, {"action": "delete", "ids": [junk.pk], "confirm": "yes"})
    assert response.status_code == 403
    assert Comment.objects.filter(pk=junk.pk).exists()


def test_restoring_from_the_trash_says_so(client, db):
    sign_in(client, "editor")
    binned = CommentFactory.create_batch(2, status="trash")
    response = client.post(URL, {"action": "pending", "ids": [c.pk for c in binned]}, follow=True)
    assert "2 comments were restored to the pending queue." in response.text
    assert statuses(binned) == ["pending", "pending"]
