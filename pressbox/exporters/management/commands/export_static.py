"""`pressbox export_static DIR [--base-url URL] [--comments-url URL]`: the public site
as files (docs/static-export.md)."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pressbox.exporters.static import ExportError, static_export
from pressbox.lib.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Write the public site (posts with their approved comments, pages, archives, "
        "feeds, sitemap, robots.txt, media, static files and a search page) as static "
        "files into DIR; a second run writes only what changed."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("dir", type=Path, help="the folder to write (created if missing)")
        parser.add_argument(
            "--base-url",
            default="",
            help="where the files will be served, e.g. https://example.com/blog/ "
            "(default: PRESSBOX_SITE_URL)",
        )
        parser.add_argument(
            "--comments-url",
            default="",
            help="the live Pressbox site that receives comments, e.g. https://live.example.com;"
            " without it the comment form is left out",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="processes rendering pages (default: one per CPU)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = static_export(
                target=options["dir"],
                base_url=options["base_url"],
                comments_url=options["comments_url"],
                progress=ProgressBar(self.stdout, "pages", plain_lines=20),
                jobs=max(1, options["jobs"]),
            )
        except ExportError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(str(summary)))
