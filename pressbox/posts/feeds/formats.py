"""The three feed formats, as generators for `django.contrib.syndication`.

A feed view hands every item the same format-neutral extras (`item_extra_kwargs`):
`authors` (a list of `Person`, in byline order), `terms` (categories then tags, as
`Term`), `content_html` (the full, sanitised body with absolute URLs), `summary` (plain
text), `image` (an `Image`, the featured image) and `replies` (the item's comment
feeds, by kind). Each generator writes them the way its format says: RSS 2.0 with one
`dc:creator` per co-author as WordPress does, Atom 1.0 with one `<author>` each, JSON
Feed 1.1 by hand. Text a person typed is escaped by the XML writer or by `json`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.utils.feedgenerator import (
    Atom1Feed,
    Rss201rev2Feed,
    SyndicationFeed,
    rfc2822_date,
    rfc3339_date,
)
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
JSON_SAFE = [("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")]
# What XML 1.0 cannot hold at all, not even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Person:
    name: str
    url: str | None = None
    avatar: str | None = None


@dataclass(frozen=True)
class Term:
    """A category or tag: `term` is its slug, `label` its name, `scheme` its kind's URL."""

    term: str
    label: str
    scheme: str


@dataclass(frozen=True)
class Image:
    url: str
    mime_type: str
    length: int
    width: int = 0
    height: int = 0
    alt: str = ""


class XmlWriter(SimplerXMLGenerator):
    """Drops the control characters XML 1.0 cannot carry (an imported title may hold
    one) instead of failing the whole feed, in text and in attribute values alike."""

    def characters(self, content: str) -> None:
        super().characters(NOT_XML.sub("", content) if content else content)

    def startElement(self, name: str, attrs: Any) -> None:
        clean = {key: NOT_XML.sub("", value) for key, value in (attrs or {}).items()}
        super().startElement(name, clean)  # type: ignore[arg-type]


class RssFeed(Rss201rev2Feed):
    content_type = "application/rss+xml; charset=utf-8"

    def write(self, outfile: Any, encoding: str) -> None:
        handler = XmlWriter(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("rss", self.rss_attributes())
        handler.startElement("channel", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        self.endChannelElement(handler)
        handler.endElement("rss")

    def rss_attributes(self) -> dict[str, str]:
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
            "xmlns:media": "http://search.yahoo.com/mrss/",
            "xmlns:wfw": "http://wellformedweb.org/CommentAPI/",
        }

    def add_root_elements(self, handler: SimplerXMLGenerator) -> None:
        super().add_root_elements(handler)
        handler.addQuickElement("generator", "Pressbox")

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        quick = handler.addQuickElement
        quick("title", item["title"])
        quick("link", item["link"])
        if item["comments"]:
            quick("comments", item["comments"])
        for person in item.get("authors", ()):
            quick("dc:creator", person.name)
        if item["pubdate"] is not None:
            quick("pubDate", rfc2822_date(item["pubdate"]))
        for term in item.get("terms", ()):
            quick("category", term.label)
        permalink = item["unique_id_is_permalink"]
        quick("guid", item["unique_id"], {"isPermaLink": "true" if permalink else "false"})
        content = item.get("content_html") or ""
        summary = item.get("summary")
        # RSS descriptions are HTML: a plain-text summary is escaped once more.
        quick("description", escape(summary) if summary else content)
        if content:
            quick("content:encoded", content)
        if replies := item.get("replies"):
            quick("wfw:commentRss", replies["rss"])
        if image := item.get("image"):
            enclosure = {"url": image.url, "length": str(image.length), "type": image.mime_type}
            quick("enclosure", "", enclosure)
            media = {"url": image.url, "type": image.mime_type, "medium": "image"}
            if image.width and image.height:
                media |= {"width": str(image.width), "height": str(image.height)}
            handler.startElement("media:content", media)  # type: ignore[arg-type]
            if image.alt:
                quick("media:description", image.alt, {"type": "plain"})
            handler.endElement("media:content")


class AtomFeed(Atom1Feed):
    def write(self, outfile: Any, encoding: str) -> None:
        handler = XmlWriter(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_root_elements(self, handler: SimplerXMLGenerator) -> None:
        super().add_root_elements(handler)
        handler.addQuickElement("generator", "Pressbox")

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        quick = handler.addQuickElement
        quick("title", item["title"])
        quick("link", "", {"rel": "alternate", "type": "text/html", "href": item["link"]})
        quick("id", item["unique_id"])
        if item["pubdate"] is not None:
            quick("published", rfc3339_date(item["pubdate"]))
        quick("updated", rfc3339_date(item["updateddate"] or item["pubdate"]))
        for person in item.get("authors", ()):
            handler.startElement("author", {})  # type: ignore[arg-type]
            quick("name", person.name)
            if person.url:
                quick("uri", person.url)
            handler.endElement("author")
        for term in item.get("terms", ()):
            quick("category", "", {"term": term.term, "label": term.label, "scheme": term.scheme})
        if summary := item.get("summary"):
            quick("summary", summary, {"type": "text"})
        quick("content", item.get("content_html") or "", {"type": "html"})
        if image := item.get("image"):
            enclosure = {"rel": "enclosure", "href": image.url, "type": image.mime_type}
            quick("link", "", enclosure | {"length": str(image.length)})
        if replies := item.get("replies"):
            feed = {"rel": "replies", "type": "application/atom+xml", "href": replies["atom"]}
            quick("link", "", feed)


class JsonFeed(SyndicationFeed):
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), written by hand."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile: Any, encoding: str) -> None:
        text = json.dumps(self.document(), ensure_ascii=False)
        # The same JSON, with no `<` for a browser that sniffs it as HTML to act on.
        for char, escaped in JSON_SAFE:
            text = text.replace(char, escaped)
        outfile.write(text)

    def document(self) -> dict[str, Any]:
        feed = self.feed
        doc: dict[str, Any] = {
            "version": JSON_FEED_VERSION,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
        }
        if people := feed.get("authors"):
            doc["authors"] = [person_json(p) for p in people]
        doc["items"] = [self.item(item) for item in self.items]
        return {key: value for key, value in doc.items() if value not in (None, "")}

    def item(self, item: dict[str, Any]) -> dict[str, Any]:
        image = item.get("image")
        found: dict[str, Any] = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item.get("content_html") or "",
            "summary": item.get("summary"),
            "image": image.url if image else None,
            "date_published": item["pubdate"] and rfc3339_date(item["pubdate"]),
            "date_modified": item["updateddate"] and rfc3339_date(item["updateddate"]),
            "authors": [person_json(p) for p in item.get("authors", ())] or None,
            "tags": list(dict.fromkeys(t.label for t in item.get("terms", ()))) or None,
        }
        return {key: value for key, value in found.items() if value is not None}


def person_json(person: Person) -> dict[str, str]:
    found = {"name": person.name, "url": person.url, "avatar": person.avatar}
    return {key: value for key, value in found.items() if value}


FORMATS: dict[str, type[SyndicationFeed]] = {"rss": RssFeed, "atom": AtomFeed, "json": JsonFeed}
# What each format adds to an address ending in `feed/`.
SUFFIXES = {"rss": "", "atom": "atom/", "json": "json/"}
