"""Reading an exported WXR file in tests: the channel, its items and their fields.

Elements are found by namespace URI, as WordPress's importer binds them, so a test
passes only when the file declares the namespaces WordPress uses.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.etree import ElementTree

from django.core.management import call_command

NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
}


def export(path: Path, stdout: io.StringIO | None = None) -> str:
    out = stdout or io.StringIO()
    call_command("export_wxr", str(path), stdout=out)
    return out.getvalue()


def channel(path: Path) -> ElementTree.Element:
    root = ElementTree.parse(path).getroot()  # raises on a file that is not well-formed
    assert root.tag == "rss" and root.get("version") == "2.0"
    found = root.find("channel")
    assert found is not None
    return found


def field(element: ElementTree.Element, name: str) -> str:
    value = element.findtext(name, namespaces=NS)
    assert value is not None, f"no {name} in {element.tag}"
    return value


def items(path: Path) -> dict[tuple[str, str], ElementTree.Element]:
    """Every item by (post type, slug)."""
    return {
        (field(item, "wp:post_type"), field(item, "wp:post_name")): item
        for item in channel(path).findall("item")
    }


def terms(item: ElementTree.Element, domain: str) -> list[tuple[str, str]]:
    """(nicename, name) of the item's terms in one domain, in file order."""
    return [
        (term.get("nicename", ""), term.text or "")
        for term in item.findall("category")
        if term.get("domain") == domain
    ]


def postmeta(item: ElementTree.Element) -> dict[str, str]:
    return {
        field(meta, "wp:meta_key"): field(meta, "wp:meta_value")
        for meta in item.findall("wp:postmeta", NS)
    }


def comments(item: ElementTree.Element) -> list[dict[str, str]]:
    """Each comment's wp:comment_* fields (without the prefix), plus its meta."""
    found = []
    for comment in item.findall("wp:comment", NS):
        fields = {
            child.tag.rpartition("}")[2].removeprefix("comment_"): child.text or ""
            for child in comment
            if child.tag != f"{{{NS['wp']}}}commentmeta"
        }
        for meta in comment.findall("wp:commentmeta", NS):
            fields[f"meta:{field(meta, 'wp:meta_key')}"] = field(meta, "wp:meta_value")
        found.append(fields)
    return found
