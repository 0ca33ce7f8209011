"""`pressbox db_worker` waits out a database outage instead of exiting (issue 8), so
`pressbox serve`, which stops everything when its task worker dies, keeps serving.
The real outage is in test_postgres_restart.py."""

from __future__ import annotations

import logging
import signal

import pytest
from django.core.management import call_command
from django.db.utils import OperationalError
from django_tasks_db.management.commands import db_worker as upstream

from pressbox.management.commands import db_worker


@pytest.fixture
def flaky_worker(monkeypatch):
    """The worker loop fails `failures` times as if PostgreSQL were down, then stops."""
    calls, slept = [], []

    def run(self):
        calls.append(1)
        if len(calls) <= flaky_worker.failures:
            raise OperationalError("connection failed: Connection refused")

    monkeypatch.setattr(upstream.Worker, "run", run)
    monkeypatch.setattr(db_worker.time, "sleep", slept.append)
    flaky_worker.failures = 3
    handlers = {
        sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    }
    yield calls, slept
    for sig, handler in handlers.items():  # the worker installs its own
        signal.signal(sig, handler)


def test_the_worker_retries_with_a_growing_delay_and_logs_no_address(flaky_worker, caplog):
    calls, slept = flaky_worker
    with caplog.at_level(logging.WARNING, logger="pressbox.tasks"):
        call_command("db_worker", "--no-reload", "--no-startup-delay")
    assert len(calls) == 4  # three failures, then a run that ended normally
    assert slept == [1, 2, 4]
    assert "cannot reach the database (OperationalError); trying again in 1 s" in caplog.text
    assert "Connection refused" not in caplog.text


def test_a_batch_run_still_fails_at_once(flaky_worker):
    with pytest.raises(OperationalError):
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay")
