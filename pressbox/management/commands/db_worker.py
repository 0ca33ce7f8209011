"""`pressbox db_worker`: django-tasks' database worker, kept alive through a database outage.

django-tasks' worker exits at the first query that finds the database gone. Beside
`pressbox serve` that would stop the whole site while PostgreSQL restarts, since the
supervisor stops everything when a child dies (pressbox.lib.supervisor). This worker
waits instead and tries again, 1 s after the first failure, doubling up to 30 s, so
the web server and the queue come back by themselves when the database does
(issue 8, docs/operations.md). `--batch` runs still fail at once, as a script expects.

Tasks themselves are untouched: a task that was running when the database went away
keeps the status it had.
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any

from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

logger = logging.getLogger("pressbox.tasks")

FIRST_DELAY = 1.0
LONGEST_DELAY = 30.0
# A worker that ran this long before failing starts again from FIRST_DELAY.
HEALTHY_SECONDS = 60.0


class Command(WorkerCommand):
    help = "Run the task worker; it waits out a database outage instead of exiting."

    def handle(self, *args: Any, **options: Any) -> None:
        delay = FIRST_DELAY
        while True:
            started = time.monotonic()
            try:
                return super().handle(*args, **options)
            except (OperationalError, InterfaceError) as exc:
                if options.get("batch"):
                    raise
                if time.monotonic() - started > HEALTHY_SECONDS:
                    delay = FIRST_DELAY
                logger.warning(
                    "The task worker cannot reach the database (%s); trying again in %d s.",
                    type(exc).__name__,
                    delay,
                )
            for connection in connections.all(initialized_only=True):
                with contextlib.suppress(Exception):  # a broken socket may fail to close
                    connection.close()
            # A SIGTERM or SIGINT meanwhile exits at once: django-tasks' handler, still
            # installed, calls sys.exit() when no task is running.
            time.sleep(delay)
            delay = min(delay * 2, LONGEST_DELAY)
