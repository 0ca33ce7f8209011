"""`pressbox import_markdown DIR`: import a content folder (DESIGN.md, "Content folder")."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pressbox.importers.services import ContentError, markdown_import
from pressbox.lib.progress import ProgressBar


class Command(BaseCommand):
    help = "Import posts, pages and authors from a folder of Markdown files; run again to update."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("dir", type=Path, help="the content folder (holding posts/)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = markdown_import(
                source=options["dir"], progress=ProgressBar(self.stdout, "files")
            )
        except ContentError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(str(summary)))
