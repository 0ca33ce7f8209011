"""`pressbox serve`: the production web server (granian, WSGI), never runserver.

Granian was chosen over gunicorn by measurement on a 2-core machine (issue 7 keeps
the figures in bench/). Static files are collected first so that whitenoise can
serve them with hashed names; unapplied migrations stop the start with a sentence.

One task worker (`pressbox db_worker`, which sends the queued emails) runs beside
granian under a small supervisor (`pressbox.lib.supervisor`), which also queues the
hourly housekeeping. `--no-worker` leaves the worker to separate processes.

granian logs as Django does (pressbox.lib.jsonlog): JSON lines on stderr, and with
`--access-log` one line per request with its method, path, status and duration, never
the client's address or the query string.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import OperationalError

from pressbox.lib.jsonlog import GRANIAN_ACCESS_FORMAT, granian_config_file
from pressbox.lib.supervisor import Supervisor
from pressbox.tasks import housekeeping_queue


class Command(BaseCommand):
    help = "Serve the site with the production server (granian)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to bind (127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to bind (8000).")
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="Worker processes (default: the number of CPUs).",
        )
        parser.add_argument("--access-log", action="store_true", help="Log every request.")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Run no task worker here (run `pressbox db_worker` separately).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1.")
        if not 0 < options["port"] < 65536:
            raise CommandError("--port must be between 1 and 65535.")
        self.check_migrations_applied()
        call_command("collectstatic", interactive=False, verbosity=0)
        with granian_config_file() as log_config:
            self.serve(server_argv(**options, log_config=log_config), **options)

    def serve(self, server: list[str], **options: Any) -> None:
        supervisor = Supervisor(
            server=server,
            worker=None if options["no_worker"] else worker_argv(),
            periodic=queue_housekeeping,
        )
        tasks = "no task worker" if options["no_worker"] else "a task worker"
        self.stdout.write(
            f"Pressbox is serving http://{options['host']}:{options['port']}/ with "
            f"{options['workers']} web worker(s) and {tasks} (site URL {settings.SITE_URL}). "
            "Ctrl+C stops it."
        )
        sys.stdout.flush()
        connections.close_all()
        sys.exit(supervisor.run())

    def check_migrations_applied(self) -> None:
        try:
            executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except OperationalError as exc:
            raise CommandError(f"The database cannot be reached: {exc}.") from None
        if pending:
            raise CommandError(
                "The database is not up to date: run `pressbox migrate` first "
                f"({len(pending)} migration(s) to apply)."
            )


def worker_argv() -> list[str]:
    """`pressbox db_worker` as a child: no autoreload, since DEBUG must not restart it."""
    return [sys.executable, "-m", "pressbox.cli", "db_worker", "--no-reload"]


def queue_housekeeping() -> None:
    """Queue the hourly chores (idempotent), then let the database connection go."""
    try:
        housekeeping_queue()
    finally:
        connections.close_all()


def server_argv(
    *, host: str, port: int, workers: int, access_log: bool, log_config: str, **_: Any
) -> list[str]:
    """The granian command line for these options; `log_config` is a file written by
    `pressbox.lib.jsonlog.granian_config_file` (JSON lines, no client addresses)."""
    binary = shutil.which("granian", path=os.path.dirname(sys.executable)) or shutil.which(
        "granian"
    )
    if binary is None:
        raise CommandError("granian is not installed; reinstall Pressbox with pip.")
    argv = [
        binary,
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-ws",
        # Django is synchronous and the GIL runs one thread at a time. Two threads per
        # worker overlap database waits; four made a comment POST wait behind cached
        # reads for the GIL (bench/comments_load.py: POST p99 129 ms with 4, 80 ms with 2).
        "--blocking-threads",
        "2",
        "--respawn-failed-workers",
        "--log-config",
        log_config,
    ]
    if access_log:
        argv += ["--access-log", "--access-log-fmt", GRANIAN_ACCESS_FORMAT]
    return [*argv, "pressbox.wsgi:application"]
