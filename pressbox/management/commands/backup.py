"""`pressbox backup FILE`: the database, media and data-dir settings in one archive,
consistent while the site serves (pressbox/lib/backup.py, docs/backup.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pressbox.lib.backup import BackupError, backup_create
from pressbox.lib.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Write the whole site (database, media, the data dir's settings such as the secret "
        "key) to one .tar.gz archive, while it keeps serving."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the archive to write (replaced if it exists)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_create(
                target=options["file"],
                progress=ProgressBar(self.stdout, "files", plain_lines=20),
                note=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        for name in summary.skipped:
            self.stdout.write(f"{name} was deleted during the backup and is not in it.")
        self.stdout.write(self.style.SUCCESS(str(summary)))
