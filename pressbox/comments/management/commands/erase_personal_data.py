"""`pressbox erase_personal_data EMAIL [--yes]`: anonymise a commenter's comments and
delete their reply subscription (WordPress's "Erase Personal Data"; the text stays)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pressbox.comments.models import Comment
from pressbox.comments.privacy import checked_address, personal_data_erase


class Command(BaseCommand):
    help = "Anonymise every comment by an email address and delete its reply subscription."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the commenter's email address")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            address = checked_address(options["email"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if not options["yes"]:
            self.confirm(Comment.objects.filter(author_email__iexact=address).count())
        erased = personal_data_erase(email=address)
        noun = "comment" if erased.comments == 1 else "comments"
        subscription = "deleted" if erased.subscriptions else "there was none"
        self.stdout.write(
            f"Anonymised {erased.comments} {noun}; reply subscription: {subscription}."
        )

    def confirm(self, count: int) -> None:
        if not sys.stdin.isatty():
            raise CommandError("Add --yes to erase without being asked.")
        noun = "comment" if count == 1 else "comments"
        answer = input(f"Anonymise {count} {noun} by this address? This cannot be undone. [y/N] ")
        if answer.strip().lower() not in {"y", "yes"}:
            raise CommandError("Nothing was erased.")
