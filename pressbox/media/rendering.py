"""Known images in a post get their size, lazy loading and srcset: a step after nh3.

`pressbox.lib.markup.render_markdown` runs this over HTML it has already sanitised
(and sanitises what it returns again). In that HTML every `<` and `>` inside text and
attribute values is escaped, so each `<img` found here is a real tag. All the images
of one body are looked up in one query; an image that is not in the library, or that
already sits in a `<picture>` or carries its own `srcset`, is left as the author wrote it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

from django.conf import settings

from pressbox.media.models import Media

TAGS = re.compile(r"<img\s[^>]*>|<picture\b[^>]*>|</picture>")
ATTRIBUTE = re.compile(r'([^\s"\'>/=]+)(?:="([^"]*)")?')
SIZES = "(max-width: 70ch) 100vw, 70ch"


def responsive_images(markup: str) -> str:
    """`markup` with each known image made responsive (a POST_HTML_STEPS step)."""
    if "<img" not in markup or settings.MEDIA_URL not in markup:
        return markup
    found = list(_library_images(markup))
    if not found:
        return markup
    names = {name for _match, _attrs, name in found}
    known = {
        media.file.name: media
        for media in Media.objects.filter(file__in=names).only(
            "file", "width", "height", "mime_type", "variants"
        )
    }
    out, last = [], 0
    for match, attrs, name in found:
        media = known.get(name)
        if media is None:
            continue
        out += [markup[last : match.start()], _responsive(attrs, media)]
        last = match.end()
    return "".join(out) + markup[last:]


def _library_images(markup: str) -> Iterator[tuple[re.Match[str], dict[str, str], str]]:
    """(match, attributes, media file name) of each <img> under MEDIA_URL, not in <picture>."""
    depth = 0
    for match in TAGS.finditer(markup):
        tag = match.group()
        if tag.startswith("<picture"):
            depth += 1
        elif tag == "</picture>":
            depth = max(0, depth - 1)
        elif not depth:
            attrs = {k.lower(): html.unescape(v or "") for k, v in ATTRIBUTE.findall(tag[4:-1])}
            name = _media_name(attrs.get("src", ""))
            if name and "srcset" not in attrs:
                yield match, attrs, name


def _media_name(src: str) -> str | None:
    """uploads/2026/11/squat-1a2b3c4d.jpg for /media/uploads/… (or the site's full URL)."""
    path = src
    if src.startswith(settings.SITE_URL + "/"):
        path = src[len(settings.SITE_URL) :]
    path = urlsplit(path).path
    if not path.startswith(settings.MEDIA_URL):
        return None
    return unquote(path[len(settings.MEDIA_URL) :]) or None


def _responsive(attrs: dict[str, str], media: Media) -> str:
    storage = media.file.storage
    if "width" not in attrs and "height" not in attrs and media.width and media.height:
        attrs["width"], attrs["height"] = str(media.width), str(media.height)
    attrs.setdefault("loading", "lazy")
    attrs.setdefault("decoding", "async")
    own = media.variants_in(media.format)
    if own:
        candidates = [(storage.url(v["name"]), v["width"]) for v in own]
        attrs["srcset"] = _srcset([*candidates, (media.url, media.width)])
        attrs["sizes"] = SIZES
    img = "<img " + " ".join(f'{k}="{html.escape(v)}"' for k, v in attrs.items()) + ">"
    webp = media.variants_in("webp") if media.format != "webp" else []
    if not webp:
        return img
    srcset = _srcset([(storage.url(v["name"]), v["width"]) for v in webp])
    source = f'<source type="image/webp" srcset="{html.escape(srcset)}" sizes="{SIZES}">'
    return f"<picture>{source}{img}</picture>"


def _srcset(candidates: list[tuple[str, int]]) -> str:
    seen: dict[int, str] = {}
    for url, width in candidates:
        seen.setdefault(width, url)
    return ", ".join(f"{url} {width}w" for width, url in sorted(seen.items()))
