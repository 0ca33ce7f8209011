"""Helpers for account tests: a person with a role, and the emails the task queue sends."""

from __future__ import annotations

import io
import signal
from unittest import mock

from django.core import mail
from django.core.management import call_command

from pressbox.accounts.factories import AuthorProfileFactory
from pressbox.accounts.models import User
from pressbox.accounts.roles import role_assign

PASSWORD = "squat-rack-42-deadlift"
WORKER = "django_tasks_db.management.commands.db_worker"


def person(role, username=None, **profile) -> User:
    """A user with `role`, a profile and the password PASSWORD, fresh from the database."""
    kwargs = {"user__username": username} if username else {}
    user = AuthorProfileFactory(**kwargs, **profile).user
    user.set_password(PASSWORD)
    user.save()
    role_assign(user=user, role=role)
    return User.objects.get(pk=user.pk)  # no stale permission cache


def sent_emails() -> list[mail.EmailMessage]:
    """Run the real database task worker (`db_worker --batch`) until the queue is empty,
    and return what it sent (the locmem backend keeps it in mail.outbox).

    The worker closes "old" connections between tasks; inside a test's transaction that
    would close the test's own connection on PostgreSQL, so that one call is a no-op here.
    The worker also installs signal handlers, which are put back afterwards.
    """
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        with mock.patch(f"{WORKER}.close_old_connections", lambda: None):
            call_command(
                "db_worker",
                batch=True,
                interval=0,
                startup_delay=False,
                reload=False,
                stdout=io.StringIO(),
            )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    return list(mail.outbox)
