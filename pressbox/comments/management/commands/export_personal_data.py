"""`pressbox export_personal_data EMAIL [--output FILE]`: everything stored about a
commenter's email address, as JSON (WordPress's "Export Personal Data")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pressbox.comments.privacy import personal_data_export


class Command(BaseCommand):
    help = "Write every comment and subscription stored for an email address, as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the commenter's email address")
        parser.add_argument("--output", type=Path, help="write to this file, not to stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = personal_data_export(email=options["email"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        output: Path | None = options["output"]
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from None
        count = len(data["comments"])
        noun = "comment" if count == 1 else "comments"
        self.stdout.write(f"Wrote {count} {noun} to {output}.")
