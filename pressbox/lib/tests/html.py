"""A small HTML reader for tests: find elements by tag and attributes, read their text.

Tests check what a page means (a link to /author/umer/ reading "Umer") rather than
its exact markup, so the theme can change classes and wrappers without breaking them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
TOKEN_ATTRIBUTES = {"class", "rel"}


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    parts: list[str] = field(default_factory=list)
    ancestors: tuple[Element, ...] = ()

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.parts)).strip()

    def has(self, **wanted: str) -> bool:
        for key, value in wanted.items():
            name = key.rstrip("_").replace("_", "-")
            actual = self.attrs.get(name)
            if actual is None:
                return False
            if name in TOKEN_ATTRIBUTES:
                if not set(value.split()) <= set(actual.split()):
                    return False
            elif actual != value:
                return False
        return True

    def inside(self, tag: str, **wanted: str) -> bool:
        return any(a.tag == tag and a.has(**wanted) for a in self.ancestors)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, ancestors=tuple(self.open))
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(
            Element(tag, {k: v or "" for k, v in attrs}, ancestors=tuple(self.open))
        )

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.parts.append(data)


def elements(html: str) -> list[Element]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.elements


def select(html: str, tag: str, **wanted: str) -> list[Element]:
    """Every `tag` element whose attributes include `wanted` (class/rel by token)."""
    return [e for e in elements(html) if e.tag == tag and e.has(**wanted)]


def select_one(html: str, tag: str, **wanted: str) -> Element:
    found = select(html, tag, **wanted)
    assert len(found) == 1, f"expected one <{tag} {wanted}>, found {len(found)}"
    return found[0]


def visible_text(html: str) -> str:
    """The text a reader sees in <body>, tags dropped and whitespace folded."""
    body = select(html, "body")
    parts = body[0].parts if body else [html]
    return re.sub(r"\s+", " ", "".join(parts)).strip()
