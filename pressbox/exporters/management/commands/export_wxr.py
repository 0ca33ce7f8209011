"""`pressbox export_wxr FILE`: the whole blog as a WordPress eXtended RSS file."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pressbox.exporters.wxr import ExportError, wxr_export
from pressbox.lib.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Write every author, category, tag, post, page, attachment and comment to a "
        "WordPress export file (WXR 1.2), readable by WordPress's importer and import_wxr."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the file to write (replaced if it exists)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = wxr_export(
                target=options["file"], progress=ProgressBar(self.stdout, "items", plain_lines=20)
            )
        except ExportError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(str(summary)))
