"""comment_moderate: a moderator's decision, what the classifier learns, who is told."""

import pytest

from pressbox.comments import notifications
from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment, SpamToken
from pressbox.comments.services import comment_moderate
from pressbox.comments.spam import bayes

Status = Comment.Status


@pytest.fixture
def told(monkeypatch):
    approved = []
    monkeypatch.setattr(notifications, "comment_approved", approved.append)
    return approved


def test_approving_records_who_learns_a_good_comment_and_tells_on_commit(
    post, admin_user, told, django_capture_on_commit_callbacks
):
    held = CommentFactory(post=post, status=Status.PENDING, body="lovely squats")
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=held, status=Status.APPROVED, by=admin_user)
    stored = Comment.objects.get(pk=held.pk)
    assert (stored.status, stored.status_reason) == (Status.APPROVED, "approved by admin")
    assert (stored.trained_as, bayes.state().ham_documents) == ("ham", 1)
    assert told == [held]


def test_approving_an_approved_comment_tells_no_one_again(
    post, told, django_capture_on_commit_callbacks
):
    shown = CommentFactory(post=post)
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=shown, status=Status.APPROVED)
    assert told == []
    assert Comment.objects.get(pk=shown.pk).status_reason == "approved by a moderator"


def test_spam_after_approval_unlearns_the_good_comment(post, admin_user):
    comment = CommentFactory(post=post, status=Status.PENDING, body="oats")
    comment_moderate(comment=comment, status=Status.APPROVED, by=admin_user)
    comment_moderate(comment=comment, status=Status.SPAM, by=admin_user)
    assert SpamToken.objects.values_list("spam_count", "ham_count").get(token="oats") == (1, 0)
    assert Comment.objects.get(pk=comment.pk).status_reason == "marked as spam by admin"


def test_trash_and_unapprove_leave_what_was_learnt(post, admin_user):
    comment = CommentFactory(post=post, status=Status.PENDING, body="oats")
    comment_moderate(comment=comment, status=Status.SPAM, by=admin_user)
    comment_moderate(comment=comment, status=Status.TRASH, by=admin_user)
    comment_moderate(comment=comment, status=Status.PENDING, by=admin_user)
    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.status_reason, stored.trained_as) == ("unapproved by admin", "spam")
    assert bayes.state().spam_documents == 1


def test_an_unknown_status_is_refused(post):
    with pytest.raises(ValueError):
        comment_moderate(comment=CommentFactory(post=post), status="deleted")
