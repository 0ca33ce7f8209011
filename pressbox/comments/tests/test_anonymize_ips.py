"""`pressbox anonymize_ips [--days N]`."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment


def run(*args):
    out = StringIO()
    call_command("anonymize_ips", *args, stdout=out)
    return out.getvalue().strip()


def test_uses_the_sites_retention_of_30_days_by_default(post):
    old = CommentFactory(post=post, created_at=timezone.now() - timedelta(days=31))
    CommentFactory(post=post, created_at=timezone.now() - timedelta(days=29))
    message = run()
    assert message == "Erased the IP address and user agent of 1 comment older than 30 days."
    assert list(Comment.objects.filter(ip_address__isnull=True)) == [old]


def test_follows_a_changed_retention(post, site_settings):
    site_settings.ip_retention_days = 7
    site_settings.save()
    CommentFactory(post=post, created_at=timezone.now() - timedelta(days=8))
    assert run().endswith("of 1 comment older than 7 days.")
    assert Comment.objects.get().ip_address is None


def test_days_on_the_command_line_win(post):
    CommentFactory(post=post, created_at=timezone.now() - timedelta(days=3))
    assert run("--days", "2").startswith("Erased the IP address and user agent of 1 comment")


def test_negative_days_stop_with_one_sentence(db):
    with pytest.raises(CommandError, match=r"^--days must be 0 or more\.$"):
        run("--days", "-1")
