"""The hourly housekeeping task that `pressbox serve` queues."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.lib.mail import queue_email
from pressbox.tasks import housekeeping, housekeeping_queue


def test_housekeeping_deletes_old_tasks_and_spam_and_erases_old_ips(db):
    for _ in range(3):
        queue_email(to=["ann@example.net"], subject="Hi", text="x")
    old, recent, waiting = DBTaskResult.objects.all()
    DBTaskResult.objects.filter(pk=old.pk).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=8)
    )
    DBTaskResult.objects.filter(pk=recent.pk).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=6)
    )
    CommentFactory(status=Comment.Status.SPAM, created_at=timezone.now() - timedelta(days=31))
    kept = CommentFactory(created_at=timezone.now() - timedelta(days=31))
    done = housekeeping.call()
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert list(Comment.objects.all()) == [kept]
    kept.refresh_from_db()
    assert (kept.ip_address, kept.user_agent) == (None, "")
    assert done == {"spam_purged": 1, "ips_anonymized": 1, "tasks_deleted": 1}
    assert housekeeping.call()["tasks_deleted"] == 0  # twice is harmless


def test_housekeeping_is_queued_once_however_many_servers_ask(db):
    assert housekeeping_queue() is True
    assert housekeeping_queue() is False
    assert DBTaskResult.objects.filter(task_path="pressbox.tasks.housekeeping").count() == 1
