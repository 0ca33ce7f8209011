"""`pressbox anonymize_ips [--days N]`: erase commenters' IP addresses and user agents
older than the site's retention (SiteSettings.ip_retention_days); the worker runs it
every hour."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pressbox.comments.privacy import ip_anonymize
from pressbox.posts.models import SiteSettings


class Command(BaseCommand):
    help = "Erase the IP address and user agent of comments older than the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, help="Age in days (default: the site's IP retention, 30)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is None:
            days = SiteSettings.load().ip_retention_days
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        changed = ip_anonymize(older_than_days=days)
        noun = "comment" if changed == 1 else "comments"
        self.stdout.write(
            f"Erased the IP address and user agent of {changed} {noun} older than {days} days."
        )
