"""Absolute URLs for feeds: a feed reader has no page address to resolve a path against.

Everything is built on `settings.SITE_URL` (the canonical origin), never on the request's
host, so a feed fetched through a proxy or an internal name still links to the site.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

from django.conf import settings

# Sanitised HTML (nh3) escapes every `<` and `>` in text and attribute values, so each
# match is a real start tag, and its attribute values are double-quoted.
START_TAG = re.compile(r"<[a-zA-Z][^>]*>")
URL_ATTRIBUTE = re.compile(r'(\s(?:href|src|srcset|poster|cite)=)"([^"]*)"', re.IGNORECASE)


def absolute(path: str) -> str:
    """`path` (from `reverse()` or `get_absolute_url()`) on the site's origin."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


def absolute_html(markup: str, *, base: str) -> str:
    """`markup` with every URL in href, src and srcset resolved against `base` (the
    item's absolute address): `/media/a.jpg` gains the origin, `#notes` the page."""

    def attribute(match: re.Match[str]) -> str:
        name, value = match[1], html.unescape(match[2])
        if name.strip().lower().startswith("srcset"):
            resolved = ", ".join(_candidate(part, base) for part in value.split(","))
        else:
            resolved = resolve(value.strip(), base)
        return f'{name}"{html.escape(resolved)}"'

    def tag(match: re.Match[str]) -> str:
        return URL_ATTRIBUTE.sub(attribute, match[0])

    return START_TAG.sub(tag, markup)


def resolve(url: str, base: str) -> str:
    """`url` against `base`; the usual shapes (a full URL, a path on the site) without
    the cost of `urljoin`, which a long post would pay hundreds of times."""
    if url.startswith(("https://", "http://")):
        return url
    if url.startswith("/") and not url.startswith("//"):
        return f"{settings.SITE_URL}{url}"
    return urljoin(base, url)


def _candidate(part: str, base: str) -> str:
    """One `url [descriptor]` of a srcset, its URL made absolute."""
    url, _, descriptor = part.strip().partition(" ")
    resolved = resolve(url, base)
    return f"{resolved} {descriptor.strip()}" if descriptor.strip() else resolved
