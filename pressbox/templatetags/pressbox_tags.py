from django import template

from pressbox.lib.text import texturize as _texturize

register = template.Library()


@register.filter
def texturize(value: object) -> str:
    """`{{ post.title|texturize }}`: curly quotes and dashes; the result is still escaped."""
    return _texturize(str(value))
