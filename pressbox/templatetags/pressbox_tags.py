from datetime import datetime

from django import template
from django.utils import timezone

from pressbox.lib.text import texturize as _texturize

register = template.Library()  # a builtin: every template has these filters


@register.filter
def texturize(value: object) -> str:
    """`{{ post.title|texturize }}`: curly quotes and dashes; the result is still escaped."""
    return _texturize(str(value))


@register.filter
def isodate(value: datetime | None) -> str:
    """ISO 8601 in the site's time zone, to the second: `<time datetime="…">`."""
    if value is None:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
