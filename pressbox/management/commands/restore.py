"""`pressbox restore FILE`: a `pressbox backup` archive into an empty site, all or
nothing (pressbox/lib/restore.py, docs/backup.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pressbox.lib.progress import ProgressBar
from pressbox.lib.restore import RestoreError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a `pressbox backup` archive into an empty site: an empty data dir, and on "
        "PostgreSQL an empty database."
    )
    # The checks may touch the database; an empty site has nothing to check yet.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the archive written by `pressbox backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_restore(
                source=options["file"],
                progress=ProgressBar(self.stdout, "files", plain_lines=20),
                note=self.stdout.write,
            )
        except RestoreError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(str(summary)))
        for line in summary.notes:
            self.stdout.write(self.style.WARNING(line))
