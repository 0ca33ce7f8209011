from datetime import datetime
from functools import lru_cache

from django import template
from django.utils import timezone

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
