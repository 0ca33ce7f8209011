"""`pressbox import_wxr FILE [--uploads DIR]`: import a WordPress export (WXR)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pressbox.importers.services import wxr_import
from pressbox.importers.wordpress.parse import WxrError
from pressbox.lib.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export → All content): authors, categories, "
        "tags, posts, pages and comments, with redirects from every old address; with "
        "--uploads, the images too. Run it again to update."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the export file (.xml)")
        parser.add_argument(
            "--uploads",
            type=Path,
            metavar="DIR",
            help="a copy of the old site's wp-content/uploads folder",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source, uploads = options["file"], options["uploads"]
        if not source.is_file():
            raise CommandError(f"There is no file at {source}.")
        if uploads is not None and not uploads.is_dir():
            raise CommandError(f"There is no uploads folder at {uploads}.")
        try:
            summary = wxr_import(
                source=source, uploads=uploads, progress=ProgressBar(self.stdout, "items")
            )
        except WxrError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(str(summary)))
