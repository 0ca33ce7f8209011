"""`pressbox purge_spam`."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment


def test_purge_spam_deletes_old_spam_and_says_how_many(post):
    CommentFactory(post=post, status=Comment.Status.SPAM, created_at=timezone.now() - timedelta(40))
    CommentFactory(post=post, status=Comment.Status.SPAM, created_at=timezone.now() - timedelta(8))
    out = StringIO()
    call_command("purge_spam", "--days", "7", stdout=out)
    assert out.getvalue() == "Deleted 2 spam or trashed comments older than 7 days.\n"
    assert not Comment.objects.exists()


def test_a_negative_age_is_refused(db):
    with pytest.raises(CommandError, match="--days must be 0 or more."):
        call_command("purge_spam", "--days", "-1")
