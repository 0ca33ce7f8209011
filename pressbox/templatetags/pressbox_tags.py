from datetime import datetime
from functools import lru_cache

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS

from pressbox.lib.text import texturize as _texturize

register = template.Library()  # a builtin: every template has these filters


@register.filter
def texturize(value: object) -> str:
    """`{{ post.title|texturize }}`: curly quotes and dashes; the result is still escaped.

    Titles and names repeat from page to page (a commenter's name on each of their
    comments), so results are remembered: eight regular expressions per name were a
    tenth of a post page's render (issue 7).
    """
    # A plain str, never a SafeString: the result must still be escaped.
    return _texturized(str.__str__(value) if isinstance(value, str) else str(value))


@lru_cache(maxsize=4096)
def _texturized(text: str) -> str:
    return _texturize(text)


@register.filter
def isodate(value: datetime | None) -> str:
    """ISO 8601 in the site's time zone, to the second: `<time datetime="…">`."""
    if value is None:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


@register.filter
def longdate(value: datetime | None) -> str:
    """ "May 14, 2024" in the site's time zone: what `|date:"F j, Y"` writes, without
    Django's general date formatter (a list page shows thirty dates; issue 7)."""
    if value is None:
        return ""
    when = timezone.localtime(value)
    return f"{MONTHS[when.month]} {when.day}, {when.year:04d}"


@register.filter
def later_day(value: datetime | None, other: datetime | None) -> bool:
    """`{% if post.updated_at|later_day:post.published_at %}`: on a later calendar day
    in the site's time zone (a date that is missing counts as earliest)."""
    if value is None:
        return False
    if other is None:
        return True
    return timezone.localtime(value).date() > timezone.localtime(other).date()
