"""The first of the import's two readings of the file: what items refer to.

Posts refer to things the export may list only later: the attachment a featured
image or a gallery shows, the reusable block a post includes. So the file is read
once, quickly, for its authors, terms, attachments and reusable blocks (few, beside
the posts and comments) and for how many items it holds; the second reading then
writes posts with everything they refer to already known. Reading it whole first
also proves the file well formed before anything is written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pressbox.importers.wordpress.parse import Author, Item, Site, Term, WxrReader


@dataclass(frozen=True)
class Attachment:
    id: str
    title: str
    link: str  # the attachment's own page on the old site
    url: str  # the file's address
    file: str  # its path inside wp-content/uploads
    parent: str  # the post it is attached to ("0": none)
    alt: str
    caption: str
    creator: str
    menu_order: int


@dataclass
class Catalog:
    site: Site
    authors: list[Author] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    reusable_blocks: dict[str, str] = field(default_factory=dict)
    items: int = 0
    children: dict[str, list[Attachment]] = field(default_factory=dict)

    def attachments_of(self, post_id: str) -> list[Attachment]:
        """A post's own attachments, in WordPress's gallery order."""
        return self.children.get(post_id, [])


def catalog_read(path: Path) -> Catalog:
    """Read the export once; raises WxrError (and nothing is written) when it is broken."""
    reader = WxrReader(path, only_types=frozenset({"attachment", "wp_block"}))
    catalog = Catalog(site=reader.site)
    for entry in reader:
        if isinstance(entry, Author):
            catalog.authors.append(entry)
        elif isinstance(entry, Term):
            catalog.terms.append(entry)
        else:
            catalog.items += 1
            if entry.post_type == "attachment" and entry.post_id:
                catalog.attachments[entry.post_id] = attachment_of(entry)
            elif entry.post_type == "wp_block" and entry.post_id:
                catalog.reusable_blocks[entry.post_id] = entry.content
    children: dict[str, list[Attachment]] = defaultdict(list)
    for attachment in catalog.attachments.values():
        children[attachment.parent].append(attachment)
    for found in children.values():
        found.sort(key=lambda a: (a.menu_order, _number(a.id)))
    catalog.children = dict(children)
    return catalog


def attachment_of(item: Item) -> Attachment:
    url = item.attachment_url or item.guid
    file = item.meta_value("_wp_attached_file").strip().lstrip("/")
    if not file and "/wp-content/uploads/" in url:
        file = url.split("/wp-content/uploads/", 1)[1].split("?")[0]
    return Attachment(
        id=item.post_id,
        title=item.title,
        link=item.link,
        url=url,
        file=file,
        parent=item.post_parent or "0",
        alt=item.meta_value("_wp_attachment_image_alt").strip(),
        caption=item.excerpt.strip(),
        creator=item.creator,
        menu_order=_number(item.menu_order),
    )


def _number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0
