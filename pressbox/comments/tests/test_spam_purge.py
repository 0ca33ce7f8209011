"""spam_purge: spam and trash go after 30 days, counted from the decision."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.comments.services import comment_moderate, spam_purge

Status = Comment.Status


def days_ago(n):
    return timezone.now() - timedelta(days=n)


def test_spam_and_trash_older_than_30_days_are_deleted(post):
    old_spam = CommentFactory(post=post, status=Status.SPAM, created_at=days_ago(31))
    old_trash = CommentFactory(post=post, status=Status.TRASH, created_at=days_ago(40))
    kept = [
        CommentFactory(post=post, status=Status.SPAM, created_at=days_ago(29)),
        CommentFactory(post=post, status=Status.PENDING, created_at=days_ago(90)),
        CommentFactory(post=post, status=Status.APPROVED, created_at=days_ago(90)),
    ]
    assert spam_purge() == 2
    assert set(Comment.objects.all()) == set(kept)
    assert not Comment.objects.filter(pk__in=[old_spam.pk, old_trash.pk]).exists()


def test_the_age_counts_from_the_moderators_decision(post, admin_user):
    comment = CommentFactory(post=post, created_at=days_ago(100))
    comment_moderate(comment=comment, status=Status.SPAM, by=admin_user)
    assert spam_purge() == 0
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert spam_purge() == 1


def test_a_spam_thread_goes_but_a_kept_reply_keeps_its_parent(post):
    old = {"status": Status.SPAM, "created_at": days_ago(60)}
    spam_root = CommentFactory(post=post, **old)
    CommentFactory(post=post, parent=CommentFactory(post=post, parent=spam_root, **old), **old)
    trashed = CommentFactory(post=post, status=Status.TRASH, created_at=days_ago(60))
    reply = CommentFactory(post=post, parent=trashed)
    assert spam_purge() == 3
    assert set(Comment.objects.all()) == {trashed, reply}
