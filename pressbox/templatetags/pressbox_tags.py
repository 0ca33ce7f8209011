from datetime import datetime
from functools import lru_cache

from django import template
from django.template import Context, defaulttags
from django.template.base import Parser, Token
from django.template.defaulttags import URLNode
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import conditional_escape, format_html

from pressbox.lib.reversing import reverse_cached
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


class RememberedURLNode(URLNode):
    """Django's `{% url %}`, reversing through `reverse_cached`."""

    def render(self, context: Context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        url = ""
        try:
            url = reverse_cached(view_name, *args, current_app=current_app, **kwargs)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> RememberedURLNode:
    """`{% url %}` as Django's, its answers remembered: a page has a dozen, the same on
    every page (`{% url 'posts:home' %}`), and a static export renders tens of thousands
    of pages (a tenth of its time went to reverse(); issue 7). This library is a
    template builtin loaded after Django's own, so its `url` is the one templates get."""
    node = defaulttags.url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


FEED_LINKS = (
    '<link rel="alternate" type="application/rss+xml" title="{0} » {1}" href="{2}">\n'
    '  <link rel="alternate" type="application/atom+xml" title="{0} » {1} (Atom)"'
    ' href="{2}atom/">\n'
    '  <link rel="alternate" type="application/feed+json" title="{0} » {1} (JSON Feed)"'
    ' href="{2}json/">'
)


@register.simple_tag(takes_context=True)
def feed_links(context: Context, name: str, href: str) -> str:
    """`{% feed_links "Feed" url %}`: a feed's three formats for autodiscovery, titled
    "<site> » <name>". Every page's head has two to three of these; built here, not by
    including a template each time (issue 7). Everything is escaped."""
    return format_html(FEED_LINKS, getattr(context.get("site"), "title", ""), name, href)
