"""Site-wide background tasks: the hourly housekeeping that `pressbox serve` queues, and
the deletion of page files when a scheduled post's time comes.

Every chore deletes or blanks rows by age, so running it twice (several `serve`
processes each queue it) does no harm and no extra work.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from pressbox.comments.privacy import ip_anonymize
from pressbox.comments.services import spam_purge
from pressbox.lib import pagecache
from pressbox.posts.models import SiteSettings

# Finished tasks are kept this long for the admin, then deleted: queued emails hold
# addresses and comment text, which must not outlive their purpose.
FINISHED_TASKS_KEPT = timedelta(days=7)
SPAM_KEPT_DAYS = 30


@task()
def housekeeping() -> dict[str, int]:
    """Purge old spam and trash, erase old IP addresses, delete old finished tasks."""
    old_tasks = DBTaskResult.objects.finished().filter(
        finished_at__lt=timezone.now() - FINISHED_TASKS_KEPT
    )
    return {
        "spam_purged": spam_purge(older_than_days=SPAM_KEPT_DAYS),
        "ips_anonymized": ip_anonymize(older_than_days=SiteSettings.load().ip_retention_days),
        "tasks_deleted": old_tasks.delete()[0],
    }


def housekeeping_queue() -> bool:
    """Queue the housekeeping task unless one is already waiting; True if queued."""
    waiting = DBTaskResult.objects.filter(status="READY", task_path=housekeeping.module_path)
    if waiting.exists():
        return False
    housekeeping.enqueue()
    return True


@task()
def page_files_expire() -> None:
    """A page changes now by the clock alone (a scheduled post goes live, a post's
    comments close): drop every cached page. Nginx serves page files without asking
    Python, so without this task they would stay until the next change (issue 7)."""
    pagecache.expire_now()


def page_files_expire_queue(at: datetime) -> bool:
    """Queue `page_files_expire` for `at` unless one is already waiting; True if queued."""
    waiting = DBTaskResult.objects.filter(
        status="READY", task_path=page_files_expire.module_path, run_after=at
    )
    if waiting.exists():
        return False
    page_files_expire.using(run_after=at).enqueue()
    return True
