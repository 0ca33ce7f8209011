"""`pressbox demo [--if-empty]`: load the demo site that `make run` serves."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from pressbox.importers.services import demo_load


class Command(BaseCommand):
    help = "Load the demo blog (posts, authors, an About page, comments); safe to run again."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the blog already has posts"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = demo_load(if_empty=options["if_empty"])
        if summary is None:
            self.stdout.write("The database already has posts; demo not loaded.")
        else:
            self.stdout.write(self.style.SUCCESS(str(summary)))
