"""WXR as WordPress writes it: CDATA sections, dates, and the elements of one <item>.

`pressbox.exporters.wxr` walks the blog and fills `Item`s; this module only knows the
format (WordPress's `wp-admin/includes/export.php` is the reference for element names
and order), so the file reads the same to WordPress's importer as one of its own.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone

# What XML 1.0 allows; anything else (control characters, lone surrogates) is dropped.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Start tags of sanitised HTML and their URL attributes (values are double-quoted).
START_TAG = re.compile(r"<[a-zA-Z][^>]*>")
URL_ATTRIBUTE = re.compile(r'(\s(?:href|src|srcset|poster)=")(/[^/"][^"]*|/)"', re.IGNORECASE)


def xml_text(value: object) -> str:
    return NOT_XML.sub("", str(value))


def cdata(value: object) -> str:
    """`value` in a CDATA section; a `]]>` inside is split across two, as WordPress does."""
    text = xml_text(value).replace("]]>", "]]]]><![CDATA[>")
    return f"<![CDATA[{text}]]>"


def plain(value: object) -> str:
    return escape(xml_text(value))


def attribute(value: object) -> str:
    return escape(xml_text(value), {'"': "&quot;"})


def mysql_date(moment: datetime | None, *, gmt: bool = False) -> str:
    """`2024-06-05 16:04:48` in the site's time zone, or in UTC when `gmt`."""
    if moment is None:
        return "0000-00-00 00:00:00"
    local = moment.astimezone(UTC) if gmt else timezone.localtime(moment)
    return local.strftime("%Y-%m-%d %H:%M:%S")


def rss_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC))


def absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


def absolute_urls(markup: str) -> str:
    """Root-relative links and images (`/media/…`) on the site's origin, so that an
    importer elsewhere can fetch and rewrite them; `#notes` and full URLs stay as they are."""

    def url(match: re.Match[str]) -> str:
        if match[1].lower().lstrip().startswith("srcset"):
            parts = (part.strip() for part in match[2].split(","))
            value = ", ".join(absolute(p) if p.startswith("/") else p for p in parts)
            return f'{match[1]}{value}"'
        return f'{match[1]}{absolute(match[2])}"'

    return START_TAG.sub(lambda tag: URL_ATTRIBUTE.sub(url, tag[0]), markup)


def meta_values(value: Any) -> list[str]:
    """Comment meta as WordPress strings: a list is a key given several times."""
    items = value if isinstance(value, list) else [value]
    return [item if isinstance(item, str) else json.dumps(item) for item in items]


@dataclass
class Item:
    """One <item>: every field WordPress's exporter writes, in its order."""

    title: str
    link: str
    guid: str
    creator: str
    wp_id: int
    date: datetime | None
    modified: datetime | None
    name: str
    status: str
    post_type: str
    content: str = ""
    excerpt: str = ""
    comment_status: str = "closed"
    ping_status: str = "closed"
    parent: int = 0
    menu_order: int = 0
    sticky: bool = False
    attachment_url: str = ""
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # domain, nicename, name
    meta: list[tuple[str, str]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    def xml(self) -> str:
        lines = [
            "\t<item>",
            f"\t\t<title>{cdata(self.title)}</title>",
            f"\t\t<link>{plain(self.link)}</link>",
            f"\t\t<pubDate>{rss_date(self.date) if self.date else ''}</pubDate>",
            f"\t\t<dc:creator>{cdata(self.creator)}</dc:creator>",
            f'\t\t<guid isPermaLink="false">{plain(self.guid)}</guid>',
            "\t\t<description></description>",
            f"\t\t<content:encoded>{cdata(self.content)}</content:encoded>",
            f"\t\t<excerpt:encoded>{cdata(self.excerpt)}</excerpt:encoded>",
            f"\t\t<wp:post_id>{self.wp_id}</wp:post_id>",
            f"\t\t<wp:post_date>{cdata(mysql_date(self.date))}</wp:post_date>",
            f"\t\t<wp:post_date_gmt>{cdata(mysql_date(self.date, gmt=True))}</wp:post_date_gmt>",
            f"\t\t<wp:post_modified>{cdata(mysql_date(self.modified))}</wp:post_modified>",
            "\t\t<wp:post_modified_gmt>"
            f"{cdata(mysql_date(self.modified, gmt=True))}</wp:post_modified_gmt>",
            f"\t\t<wp:comment_status>{cdata(self.comment_status)}</wp:comment_status>",
            f"\t\t<wp:ping_status>{cdata(self.ping_status)}</wp:ping_status>",
            f"\t\t<wp:post_name>{cdata(self.name)}</wp:post_name>",
            f"\t\t<wp:status>{cdata(self.status)}</wp:status>",
            f"\t\t<wp:post_parent>{self.parent}</wp:post_parent>",
            f"\t\t<wp:menu_order>{self.menu_order}</wp:menu_order>",
            f"\t\t<wp:post_type>{cdata(self.post_type)}</wp:post_type>",
            f"\t\t<wp:post_password>{cdata('')}</wp:post_password>",
            f"\t\t<wp:is_sticky>{int(self.sticky)}</wp:is_sticky>",
        ]
        if self.attachment_url:
            lines.append(f"\t\t<wp:attachment_url>{cdata(self.attachment_url)}</wp:attachment_url>")
        lines += [
            f'\t\t<category domain="{attribute(domain)}" nicename="{attribute(nicename)}">'
            f"{cdata(name)}</category>"
            for domain, nicename, name in self.terms
        ]
        lines += [meta_xml("postmeta", key, value, depth=2) for key, value in self.meta]
        lines += self.comments
        lines.append("\t</item>\n")
        return "\n".join(lines)


def meta_xml(element: str, key: str, value: str, *, depth: int) -> str:
    tabs = "\t" * depth
    return (
        f"{tabs}<wp:{element}>\n"
        f"{tabs}\t<wp:meta_key>{cdata(key)}</wp:meta_key>\n"
        f"{tabs}\t<wp:meta_value>{cdata(value)}</wp:meta_value>\n"
        f"{tabs}</wp:{element}>"
    )
