"""`pressbox import_markdown DIR`: import a content folder (DESIGN.md, "Content folder")."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from pressbox.importers.services import ContentError, markdown_import

BAR_WIDTH = 30


class ProgressReport:
    """A bar redrawn in place on a terminal; one plain line per file otherwise."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out
        self.tty = out.isatty()

    def __call__(self, done: int, total: int, source: str) -> None:
        if not self.tty:
            self.out.write(f"{done}/{total} {source}")
            return
        filled = BAR_WIDTH * done // max(total, 1)
        bar = "#" * filled + " " * (BAR_WIDTH - filled)
        self.out.write(f"\r[{bar}] {done}/{total}", ending="\n" if done == total else "")
        self.out.flush()


class Command(BaseCommand):
    help = "Import posts, pages and authors from a folder of Markdown files; run again to update."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("dir", type=Path, help="the content folder (holding posts/)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = markdown_import(source=options["dir"], progress=ProgressReport(self.stdout))
        except ContentError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(str(summary)))
