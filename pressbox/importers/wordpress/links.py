"""The old site's addresses: which URLs were its own, and what they are called now.

A WordPress export names its site (`wp:base_blog_url`, possibly under a sub-path such
as https://example.com/blog) and gives every item its permalink. Links inside the
content point at the old site in many spellings: an internationalised host in
Unicode or in punycode, percent-escaped paths, HTML character references. `SiteURL`
compares them all by meaning. `rewrite_urls` walks the HTML's attributes (href, src,
srcset, inline CSS url(…)) and text and lets a callback replace each URL.
"""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit


def _host(netloc: str) -> str:
    """The host of a netloc, lower case, punycode labels decoded, port and user gone."""
    host = netloc.rpartition("@")[2]
    if not host.startswith("["):
        host = host.partition(":")[0]
    labels = []
    for label in host.lower().rstrip(".").split("."):
        if label.startswith("xn--"):
            with contextlib.suppress(UnicodeError, ValueError):
                label = label[4:].encode("ascii").decode("punycode")
        labels.append(label)
    return ".".join(labels)


@dataclass(frozen=True)
class Place:
    """A URL taken apart for comparison: host ("" when relative) and decoded path."""

    host: str
    path: str
    rest: str  # "?query#fragment" as written

    @classmethod
    def of(cls, url: str) -> Place | None:
        url = url.strip()
        if not url or url.startswith(("data:", "javascript:", "mailto:", "#")):
            return None
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme and parts.scheme.lower() not in ("http", "https"):
            return None
        if not parts.netloc and (parts.scheme or not parts.path.startswith("/")):
            return None
        rest = (f"?{parts.query}" if parts.query else "") + (
            f"#{parts.fragment}" if parts.fragment else ""
        )
        return cls(host=_host(parts.netloc), path=unquote(parts.path), rest=rest)


@dataclass(frozen=True)
class SiteURL:
    """A site's base address (scheme-less: http and https name the same site)."""

    host: str
    path: str  # decoded, without a trailing slash ("" at the root)

    @classmethod
    def of(cls, url: str) -> SiteURL | None:
        place = Place.of(url)
        if place is None or not place.host:
            return None
        return cls(host=place.host, path=place.path.rstrip("/"))

    def local_path(self, url: str, *, relative_ok: bool = True) -> str | None:
        """`url`'s path on this site, relative to its base, with its query and fragment
        ("/2019/05/hello/"), or None when `url` is elsewhere."""
        place = Place.of(url)
        if place is None or (not place.host and not relative_ok):
            return None
        if place.host and place.host != self.host:
            return None
        if place.path != self.path and not place.path.startswith(self.path + "/"):
            return None
        return (place.path[len(self.path) :] or "/") + place.rest


# Rewriting ------------------------------------------------------------------------

_TAG = re.compile(r"<!--.*?-->|<[!/?]?[a-zA-Z][^>]*>", re.DOTALL)
_ATTRIBUTE = re.compile(
    r"""(\s)([\w:.-]+)(\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.DOTALL
)
_URL_ATTRIBUTES = {"href", "src", "poster", "cite", "action", "data", "data-src", "data-full-url"}
_CSS_URL = re.compile(r"""(url\(\s*)(["']?)(.*?)\2(\s*\))""", re.IGNORECASE | re.DOTALL)
_TEXT_URL = re.compile(r"(?:https?:)?//[^\s<>\"'`]+[^\s<>\"'`.,;:!?)\]}]", re.IGNORECASE)

Rewrite = Callable[[str, bool], str | None]
"""(a URL as written, whether it is in visible text) -> its replacement, or None."""


def rewrite_urls(markup: str, replace: Rewrite) -> str:
    """Every URL of `markup` (attributes, inline CSS, text) passed through `replace`;
    what it leaves alone stays byte for byte as it was."""
    out = []
    position = 0
    for match in _TAG.finditer(markup):
        out.append(_rewrite_text(markup[position : match.start()], replace))
        tag = match[0]
        out.append(_rewrite_tag(tag, replace) if tag[1].isalpha() else tag)
        position = match.end()
    out.append(_rewrite_text(markup[position:], replace))
    return "".join(out)


def _rewrite_tag(tag: str, replace: Rewrite) -> str:
    def attribute(match: re.Match[str]) -> str:
        name = match[2].lower()
        raw = next(v for v in (match[4], match[5], match[6]) if v is not None)
        value = html.unescape(raw)
        if name in _URL_ATTRIBUTES:
            new = replace(value, False)
        elif name == "srcset":
            new = _rewrite_srcset(value, replace)
        elif name == "style":
            new = _rewrite_css(value, replace)
        else:
            return match[0]
        if new is None or new == value:
            return match[0]
        return f'{match[1]}{match[2]}{match[3]}"{html.escape(new)}"'

    return _ATTRIBUTE.sub(attribute, tag)


def _rewrite_srcset(value: str, replace: Rewrite) -> str | None:
    changed = False
    candidates = []
    for candidate in value.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        new = replace(url, False) if url else None
        if new is not None and new != url:
            changed, url = True, new
        candidates.append(f"{url} {descriptor}".strip())
    return ", ".join(candidates) if changed else None


def _rewrite_css(value: str, replace: Rewrite) -> str | None:
    changed = False

    def one(match: re.Match[str]) -> str:
        nonlocal changed
        url = re.sub(r"\\(.)", r"\1", match[3])  # CSS escapes, as in bg\(1\).jpg
        new = replace(url, False)
        if new is None or new == url:
            return match[0]
        changed = True
        return f"{match[1]}{match[2] or chr(39)}{new}{match[2] or chr(39)}{match[4]}"

    result = _CSS_URL.sub(one, value)
    return result if changed else None


def _rewrite_text(text: str, replace: Rewrite) -> str:
    if "//" not in text and "&#" not in text and "&" not in text:
        return text
    plain = html.unescape(text)
    changed = False

    def one(match: re.Match[str]) -> str:
        nonlocal changed
        new = replace(match[0], True)
        if new is None or new == match[0]:
            return match[0]
        changed = True
        return new

    result = _TEXT_URL.sub(one, plain)
    return html.escape(result, quote=False) if changed else text
