"""Readable differences between two versions of a post's text.

The result is plain data (lines and word segments), so the template escapes every
piece of it; no HTML is built here.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

LABELS = {
    "title": "Title",
    "slug": "Slug",
    "body": "Body",
    "excerpt": "Excerpt",
    "seo_description": "SEO description",
}
CONTEXT_LINES = 2
_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass
class Line:
    kind: str  # "context", "removed", "added" or "gap" (unchanged lines left out)
    segments: list[tuple[str, bool]] = field(default_factory=list)  # (text, changed)


@dataclass
class FieldDiff:
    name: str
    label: str
    lines: list[Line]


def _words_diff(old: str, new: str) -> tuple[Line, Line]:
    """A changed line as removed and added lines whose changed words are marked."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    removed, added = Line("removed"), Line("added")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            removed.segments.append(("".join(a[i1:i2]), tag != "equal"))
        if j2 > j1:
            added.segments.append(("".join(b[j1:j2]), tag != "equal"))
    return removed, added


def text_diff(old: str, new: str) -> list[Line]:
    """Changed lines with a little context; pairs of changed lines show changed words."""
    a, b = old.splitlines(), new.splitlines()
    lines: list[Line] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for number, group in enumerate(matcher.get_grouped_opcodes(CONTEXT_LINES)):
        if number or group[0][1] > 0:
            lines.append(Line("gap"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(Line("context", [(text, False)]) for text in a[i1:i2])
                continue
            pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            removed, added = [], []
            for old_line, new_line in zip(a[i1 : i1 + pairs], b[j1 : j1 + pairs], strict=True):
                one, other = _words_diff(old_line, new_line)
                removed.append(one)
                added.append(other)
            removed += [Line("removed", [(text, True)]) for text in a[i1 + pairs : i2]]
            added += [Line("added", [(text, True)]) for text in b[j1 + pairs : j2]]
            lines += removed + added
    return lines


def field_diffs(old: dict[str, str], new: dict[str, str]) -> list[FieldDiff]:
    """One diff per field that differs, in the order of LABELS."""
    return [
        FieldDiff(name, label, text_diff(old.get(name, ""), new.get(name, "")))
        for name, label in LABELS.items()
        if old.get(name, "") != new.get(name, "")
    ]
