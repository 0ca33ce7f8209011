"""`pressbox purge_spam`: delete spam and trash older than 30 days (the worker runs it too)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pressbox.comments.services import spam_purge


class Command(BaseCommand):
    help = "Delete spam and trashed comments that have been so for more than --days days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30, help="Age in days (30).")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        deleted = spam_purge(older_than_days=days)
        noun = "comment" if deleted == 1 else "comments"
        self.stdout.write(f"Deleted {deleted} spam or trashed {noun} older than {days} days.")
