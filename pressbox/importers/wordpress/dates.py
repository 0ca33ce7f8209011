"""WordPress's dates: "2011-01-18 07:40:14" in UTC (`*_gmt`) or in the site's time zone.

A draft's GMT date is "0000-00-00 00:00:00" (it was never published); the local date
is then the one to read, in the time zone this site runs in (PRESSBOX_TIME_ZONE).
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from django.utils import timezone


def _parse(text: str) -> datetime | None:
    text = text.strip()
    if not text or text.startswith("0000"):
        return None
    try:
        return datetime.fromisoformat(text[:19])
    except ValueError:
        try:
            return datetime.fromisoformat(text[:10])
        except ValueError:
            return None


def wp_datetime(gmt: str, local: str = "") -> datetime | None:
    """The moment a GMT date names, else the local one in the site's time zone."""
    found = _parse(gmt)
    if found is not None:
        return found.replace(tzinfo=UTC)
    found = _parse(local)
    if found is not None:
        return timezone.make_aware(found, timezone.get_current_timezone())
    return None


def rss_datetime(text: str) -> datetime | None:
    """An RSS <pubDate> ("Tue, 18 Jan 2011 07:40:14 +0000"); None for WordPress's
    placeholder for drafts ("Wed, 30 Nov -0001 00:00:00 +0000") or anything unreadable."""
    try:
        found = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if found is None or found.tzinfo is None or found.year < 1971:
        return None
    return found
