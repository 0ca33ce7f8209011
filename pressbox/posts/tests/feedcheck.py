"""Reading feeds in tests: RSS and Atom through feedparser (which must not flag them as
malformed), JSON Feed checked field by field against the 1.1 specification
(https://www.jsonfeed.org/version/1.1/). `read()` gives the three formats one shape so
that a test can say what every format must carry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import feedparser

KINDS = ["rss", "atom", "json"]
SUFFIX = {"rss": "", "atom": "atom/", "json": "json/"}
CONTENT_TYPE = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}


@dataclass
class Item:
    id: str
    title: str
    link: str
    content_html: str
    summary: str | None
    published: datetime | None
    updated: datetime | None
    authors: list[str]
    author_urls: list[str | None]
    tags: list[str]
    image: str | None


@dataclass
class Channel:
    title: str
    link: str
    self_link: str
    description: str
    language: str
    items: list[Item] = field(default_factory=list)


def read(response, kind: str) -> Channel:
    """The feed in `response`, after checking its status, type and validity."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].split(";")[0] == CONTENT_TYPE[kind]
    if kind == "json":
        return _read_json(response.content)
    return _read_xml(response.content)


def _read_xml(content: bytes) -> Channel:
    # Relative URLs and unsafe markup as sent: the feed itself must be right.
    parsed = feedparser.parse(content, resolve_relative_uris=False, sanitize_html=False)
    assert not parsed.bozo, parsed.get("bozo_exception")
    feed = parsed.feed
    links = {link.get("rel"): link["href"] for link in feed.get("links", [])}
    channel = Channel(
        title=feed.title,
        link=links["alternate"],
        self_link=links["self"],
        description=feed.get("subtitle", ""),
        language=feed.get("language", ""),
    )
    for entry in parsed.entries:
        enclosures = entry.get("enclosures", [])
        channel.items.append(
            Item(
                id=entry.id,
                title=entry.title,
                link=entry.link,
                content_html=entry.content[0].value if "content" in entry else entry.summary,
                summary=entry.get("summary"),
                published=_utc(entry.get("published_parsed")),
                updated=_utc(entry["updated_parsed"]) if "updated" in entry else None,
                authors=[a.get("name") for a in entry.get("authors", [])],
                author_urls=[a.get("href") for a in entry.get("authors", [])],
                tags=[t.label or t.term for t in entry.get("tags", [])],
                image=enclosures[0]["href"] if enclosures else None,
            )
        )
    return channel


def _utc(parsed) -> datetime | None:
    return datetime(*parsed[:6], tzinfo=UTC) if parsed else None


def _read_json(content: bytes) -> Channel:
    doc = json.loads(content)
    check_json_feed(doc)
    channel = Channel(
        title=doc["title"],
        link=doc.get("home_page_url", ""),
        self_link=doc.get("feed_url", ""),
        description=doc.get("description", ""),
        language=doc.get("language", ""),
    )
    for item in doc["items"]:
        authors = item.get("authors", doc.get("authors", []))
        channel.items.append(
            Item(
                id=item["id"],
                title=item.get("title", ""),
                link=item.get("url", ""),
                content_html=item.get("content_html", ""),
                summary=item.get("summary"),
                published=_json_date(item.get("date_published")),
                updated=_json_date(item.get("date_modified")),
                authors=[a.get("name") for a in authors],
                author_urls=[a.get("url") for a in authors],
                tags=item.get("tags", []),
                image=item.get("image"),
            )
        )
    return channel


def _json_date(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).replace(microsecond=0) if value else None


# JSON Feed 1.1 -------------------------------------------------------------------------

FEED_KEYS = {
    "version", "title", "home_page_url", "feed_url", "description", "user_comment",
    "next_url", "icon", "favicon", "authors", "language", "expired", "hubs", "items",
}  # fmt: skip
ITEM_KEYS = {
    "id", "url", "external_url", "title", "content_html", "content_text", "summary",
    "image", "banner_image", "date_published", "date_modified", "authors", "tags",
    "language", "attachments",
}  # fmt: skip
RFC_3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


def check_json_feed(doc: object) -> None:
    """Fail unless `doc` is a JSON Feed 1.1 document (extensions start with `_`)."""
    assert isinstance(doc, dict), "a feed is an object"
    assert doc.get("version") == "https://jsonfeed.org/version/1.1"
    _known(doc, FEED_KEYS, "feed")
    _text(doc, "title", required=True)
    for key in ("home_page_url", "feed_url", "next_url", "icon", "favicon"):
        _url(doc, key)
    _text(doc, "description")
    _text(doc, "user_comment")
    _language(doc)
    _authors(doc)
    assert isinstance(doc.get("expired", False), bool)
    assert isinstance(doc["items"], list), "items is required and is an array"
    ids = [_item(item) for item in doc["items"]]
    assert len(ids) == len(set(ids)), "item ids are unique"


def _item(item: object) -> str:
    assert isinstance(item, dict), "an item is an object"
    _known(item, ITEM_KEYS, "item")
    assert isinstance(item.get("id"), str) and item["id"], "id is a non-empty string"
    assert "content_html" in item or "content_text" in item, "content_html or content_text"
    for key in ("title", "content_html", "content_text", "summary"):
        _text(item, key)
    for key in ("url", "external_url", "image", "banner_image"):
        _url(item, key)
    for key in ("date_published", "date_modified"):
        if key in item:
            assert RFC_3339.match(item[key]), f"{key} is RFC 3339: {item[key]!r}"
            assert datetime.fromisoformat(item[key]).tzinfo is not None
    _authors(item)
    tags = item.get("tags", [])
    assert isinstance(tags, list) and all(isinstance(t, str) and t for t in tags)
    _language(item)
    for attachment in item.get("attachments", []):
        assert isinstance(attachment, dict)
        _url(attachment, "url", required=True)
        _text(attachment, "mime_type", required=True)
    return item["id"]


def _authors(obj: dict) -> None:
    assert "author" not in obj, "1.1 replaces `author` with `authors`"
    authors = obj.get("authors", [])
    assert isinstance(authors, list), "authors is an array"
    for author in authors:
        assert isinstance(author, dict), "an author is an object"
        assert {"name", "url", "avatar"} & author.keys(), "an author has name, url or avatar"
        _known(author, {"name", "url", "avatar"}, "author")
        _text(author, "name")
        _url(author, "url")
        _url(author, "avatar")


def _known(obj: dict, keys: set[str], what: str) -> None:
    unknown = {k for k in obj if k not in keys and not k.startswith("_")}
    assert not unknown, f"{what} has fields the spec does not define: {unknown}"


def _text(obj: dict, key: str, *, required: bool = False) -> None:
    if required:
        assert key in obj, f"{key} is required"
    if key in obj:
        assert isinstance(obj[key], str), f"{key} is a string"


def _url(obj: dict, key: str, *, required: bool = False) -> None:
    _text(obj, key, required=required)
    if key in obj:
        assert re.match(r"^https?://[^/\s]+", obj[key]), f"{key} is a full URL: {obj[key]!r}"


def _language(obj: dict) -> None:
    if "language" in obj:
        assert LANGUAGE_TAG.match(obj["language"]), "language is an RFC 5646 tag"
