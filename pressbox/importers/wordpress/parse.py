"""Read a WordPress export (WXR 1.0, 1.1, 1.2) as a stream of dataclasses.

Entities are refused, never expanded: the file's prolog (all that comes before its
first element, where a DTD would declare them) is read through defusedxml, which
stops at any entity declaration, the "billion laughs" bomb or an external entity
reading a local file alike. The rest is read by the standard library's C parser, to
which an undeclared entity is an error and which fetches nothing from the network.
Each top-level element of the channel (an author, a term, an item with its comments)
becomes one dataclass and is then dropped from the tree, so memory stays flat
however large the export.

Elements are recognised by namespace URI, never by prefix: `wp:` means any of
WordPress's export namespaces (http:// or https://, versions 1.0 to 1.2), so a file
that rebinds the `wp` prefix to another URI cannot pass its elements off as
WordPress's. Text is kept exactly as written (CDATA sections joined, blank lines,
backslashes and serialized PHP meta untouched); only identifiers, slugs, logins,
dates and statuses are trimmed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import xml.etree.ElementTree as ET  # noqa: S405  (entities are refused first, below)
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

WXR_NAMESPACES = frozenset(
    f"{scheme}://wordpress.org/export/{version}/"
    for scheme in ("http", "https")
    for version in ("1.0", "1.1", "1.2")
)
EXCERPT_NAMESPACES = frozenset(f"{uri}excerpt/" for uri in WXR_NAMESPACES)
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
VERSION_RE = re.compile(r"1\.\d{1,3}")
NOT_WXR = (
    "{name} is not a WordPress export: it has no valid WXR version "
    "(<wp:wxr_version> is missing or not a number such as 1.2)."
)


class WxrError(Exception):
    """The file cannot be imported; the message is one sentence for the person."""


Meta = list[tuple[str, str]]


@dataclass
class Site:
    version: str = ""
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""

    @property
    def base_url(self) -> str:
        """The blog's address, which item links and content URLs start with."""
        return self.base_blog_url or self.base_site_url or self.link


@dataclass
class Author:
    login: str
    id: str = ""
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class Term:
    """A category, tag or other term declared at the top of the export."""

    taxonomy: str  # "category", "post_tag", or another taxonomy's name
    slug: str
    name: str
    id: str = ""
    parent: str = ""  # the parent's slug
    description: str = ""
    meta: Meta = field(default_factory=list)


@dataclass
class ItemTerm:
    """A term an item is filed under: `<category domain="…" nicename="…">name</category>`."""

    domain: str
    slug: str
    name: str


@dataclass
class Comment:
    id: str
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = ""
    type: str = ""
    parent: str = ""
    user_id: str = ""
    meta: Meta = field(default_factory=list)


@dataclass
class Item:
    """A post, page, attachment or any other WordPress post type, with its comments."""

    title: str = ""
    link: str = ""
    creator: str = ""
    guid: str = ""
    content: str = ""
    excerpt: str = ""
    post_id: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_modified: str = ""
    post_modified_gmt: str = ""
    pub_date: str = ""
    comment_status: str = ""
    post_name: str = ""
    status: str = ""
    post_parent: str = ""
    menu_order: str = ""
    post_type: str = ""
    post_password: str = ""
    is_sticky: str = ""
    attachment_url: str = ""
    terms: list[ItemTerm] = field(default_factory=list)
    meta: Meta = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    def meta_value(self, key: str) -> str:
        return next((value for k, value in self.meta if k == key), "")


Entry = Author | Term | Item


def clean_login(text: str) -> str:
    """A WordPress login as an account name: trimmed, without invisible format
    characters (zero-width joiners, direction marks) or characters WordPress's own
    sanitize_user() drops, such as '<' and '>'."""
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return re.sub(r"[^\w.@+\- ]", "", text).strip()


class WxrReader:
    """Iterate over a WXR file: `for entry in reader: …`; `reader.site` holds the
    channel's own fields (version, base URL), read before the first entry."""

    def __init__(self, path: Path, *, only_types: frozenset[str] | None = None) -> None:
        """With `only_types`, items of other post types come without their content,
        terms, meta or comments (a quick first reading)."""
        self.path = Path(path)
        self.site = Site()
        self.only_types = only_types

    def __iter__(self) -> Iterator[Entry]:
        try:
            handle = self.path.open("rb")
        except OSError as error:
            raise WxrError(f"{self.path} cannot be read: {error.strerror}.") from None
        with handle:
            yield from self._entries(handle)

    def _entries(self, handle: IO[bytes]) -> Iterator[Entry]:
        _refuse_entities(handle, self.path.name)
        handle.seek(0)
        events = ET.iterparse(handle, events=("start", "end"))  # noqa: S314 (checked above)
        depth, channel, version_seen = 0, None, False
        try:
            for event, element in events:
                if event == "start":
                    depth += 1
                    if depth == 2 and _local(element.tag) == "channel":
                        channel = element
                    continue
                depth -= 1
                if depth != 2 or channel is None:
                    continue
                entry = self._channel_child(element)
                channel.remove(element)
                if isinstance(entry, str):
                    version_seen = True
                elif entry is not None:
                    if not version_seen:
                        raise WxrError(NOT_WXR.format(name=self.path.name))
                    yield entry
        except ET.ParseError as error:
            raise WxrError(_malformed(self.path.name, error)) from None
        if not version_seen:
            raise WxrError(NOT_WXR.format(name=self.path.name))

    def _channel_child(self, element: ET.Element) -> Entry | str | None:
        """An entry, "version" once the WXR version is read, or None for the rest."""
        uri, name = _split(element.tag)
        if uri in WXR_NAMESPACES:
            if name == "wxr_version":
                version = (element.text or "").strip()
                if not VERSION_RE.fullmatch(version):
                    raise WxrError(NOT_WXR.format(name=self.path.name))
                self.site.version = version
                return "version"
            if name in ("base_site_url", "base_blog_url"):
                setattr(self.site, name, (element.text or "").strip())
            elif name == "author":
                return _author(element, uri)
            elif name in ("category", "tag", "term"):
                return _term(element, uri, name)
        elif uri == "" and name in ("title", "link"):
            setattr(self.site, name, (element.text or "").strip())
        elif uri == "" and name == "item":
            return _item(element, self.only_types)
        return None


class _RootReached(Exception):
    pass


class _Prolog(ET.TreeBuilder):
    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:  # type: ignore[override]
        raise _RootReached


def _refuse_entities(handle: IO[bytes], name: str) -> None:
    """Refuse a document that declares entities, reading only up to its first element.

    Entities can only be declared before the root element (in the DTD), so this
    short look through defusedxml is enough for the fast C parser to read the rest:
    with no entity declared, any entity reference is an error to it.
    """
    parser = DefusedXMLParser(
        target=_Prolog(), forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    try:
        while chunk := handle.read(64 * 1024):
            parser.feed(chunk)
    except _RootReached:
        return
    except DefusedXmlException:
        line = parser.parser.CurrentLineNumber
        raise WxrError(
            f"{name} declares XML entities at line {line}, which a WordPress export never "
            "does; it is refused for safety."
        ) from None
    except ET.ParseError:
        return  # the full reading reports it, with its line


def _malformed(name: str, error: ET.ParseError) -> str:
    line, _column = error.position
    reason = str(error).split(":")[0]
    return f"{name} is not well-formed XML: {reason} at line {line}."


@functools.lru_cache(maxsize=512)
def _split(tag: str) -> tuple[str, str]:
    """("namespace URI", "local name") of an ElementTree tag."""
    if tag[:1] == "{":
        uri, _, name = tag[1:].partition("}")
        return uri, name
    return "", tag


def _local(tag: str) -> str:
    return _split(tag)[1]


def _fields(element: ET.Element, uri: str) -> dict[str, str]:
    """The WXR children of `element` in namespace `uri` that hold text, by name; the
    first wins when one is repeated."""
    found: dict[str, str] = {}
    for child in element:
        child_uri, name = _split(child.tag)
        if child_uri == uri and name not in found and len(child) == 0:
            found[name] = child.text or ""
    return found


def _meta(element: ET.Element, uri: str, tag: str) -> Meta:
    pairs = []
    for child in element:
        if _split(child.tag) == (uri, tag):
            pair = _meta_pair(child, uri)
            if pair is not None:
                pairs.append(pair)
    return pairs


def _meta_pair(element: ET.Element, uri: str) -> tuple[str, str] | None:
    """(key, value) of a postmeta, commentmeta or termmeta element; the value exactly
    as written (serialized PHP must stay byte for byte)."""
    values = _fields(element, uri)
    if "meta_key" not in values:
        return None
    return values["meta_key"].strip(), values.get("meta_value", "")


def _author(element: ET.Element, uri: str) -> Author | None:
    values = _fields(element, uri)
    login = clean_login(values.get("author_login", ""))
    if not login:
        return None
    return Author(
        login=login,
        id=values.get("author_id", "").strip(),
        email=values.get("author_email", "").strip(),
        display_name=values.get("author_display_name", "").strip(),
        first_name=values.get("author_first_name", "").strip(),
        last_name=values.get("author_last_name", "").strip(),
    )


def _term(element: ET.Element, uri: str, kind: str) -> Term | None:
    values = _fields(element, uri)
    if kind == "category":
        taxonomy, slug, name = "category", "category_nicename", "cat_name"
        parent, description = "category_parent", "category_description"
    elif kind == "tag":
        taxonomy, slug, name = "post_tag", "tag_slug", "tag_name"
        parent, description = "", "tag_description"
    else:
        taxonomy = values.get("term_taxonomy", "").strip()
        slug, name, parent, description = (
            "term_slug",
            "term_name",
            "term_parent",
            "term_description",
        )
    term = Term(
        taxonomy=taxonomy,
        slug=values.get(slug, "").strip(),
        name=values.get(name, "").strip(),
        id=values.get("term_id", "").strip(),
        parent=values.get(parent, "").strip() if parent else "",
        description=values.get(description, ""),
        meta=_meta(element, uri, "termmeta"),
    )
    return term if taxonomy and (term.slug or term.name) else None


ITEM_FIELDS = (
    "post_id", "post_date", "post_date_gmt", "post_modified", "post_modified_gmt",
    "comment_status", "post_name", "status", "post_parent", "menu_order", "post_type",
    "post_password", "is_sticky", "attachment_url",
)  # fmt: skip


def _item(element: ET.Element, only_types: frozenset[str] | None = None) -> Item:
    item = Item()
    uri = _item_namespace(element)
    if only_types is not None:
        found = _fields(element, uri) if uri else {}
        item.post_type = found.get("post_type", "").strip()
        item.post_id = found.get("post_id", "").strip()
        if item.post_type not in only_types:
            return item
    values: dict[str, str] = {}
    for child in element:
        child_uri, name = _split(child.tag)
        if uri and child_uri == uri:
            if name == "comment":
                comment = _comment(child, uri)
                if comment is not None:
                    item.comments.append(comment)
            elif name == "postmeta":
                pair = _meta_pair(child, uri)
                if pair is not None:
                    item.meta.append(pair)
            elif name not in values:
                values[name] = child.text or ""
        elif child_uri == "":
            if name == "category" and child.get("domain"):
                item.terms.append(
                    ItemTerm(
                        domain=child.get("domain", "").strip(),
                        slug=child.get("nicename", "").strip(),
                        name=(child.text or "").strip(),
                    )
                )
            elif name in ("title", "link", "guid"):
                setattr(item, name, (child.text or "").strip())
            elif name == "pubDate":
                item.pub_date = (child.text or "").strip()
        elif child_uri == CONTENT_NS and name == "encoded":
            item.content = child.text or ""
        elif child_uri in EXCERPT_NAMESPACES and name == "encoded":
            item.excerpt = child.text or ""
        elif child_uri == DC_NS and name == "creator" and not item.creator:
            item.creator = clean_login(child.text or "")
    for name in ITEM_FIELDS:
        setattr(item, name, values.get(name, "").strip())
    return item


def _item_namespace(element: ET.Element) -> str:
    """The WordPress namespace the item's fields are written in (the one of its
    post_id), or "" when it has none (an RSS item that is no WordPress post)."""
    for child in element:
        uri, name = _split(child.tag)
        if uri in WXR_NAMESPACES and name in ("post_id", "post_type"):
            return uri
    return ""


def _comment(element: ET.Element, uri: str) -> Comment | None:
    values = _fields(element, uri)
    ident = values.get("comment_id", "").strip()
    if not ident:
        return None
    return Comment(
        id=ident,
        author=values.get("comment_author", "").strip(),
        author_email=values.get("comment_author_email", "").strip(),
        author_url=values.get("comment_author_url", "").strip(),
        author_ip=values.get("comment_author_IP", "").strip(),
        date=values.get("comment_date", "").strip(),
        date_gmt=values.get("comment_date_gmt", "").strip(),
        content=values.get("comment_content", ""),
        approved=values.get("comment_approved", "").strip(),
        type=values.get("comment_type", "").strip(),
        parent=values.get("comment_parent", "").strip(),
        user_id=values.get("comment_user_id", "").strip(),
        meta=_meta(element, uri, "commentmeta"),
    )
