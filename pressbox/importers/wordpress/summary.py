"""What an import did, as the command prints it: counts per kind, then every item left
out with the reason, then what was changed on the way in (a password-protected post
made private, for instance)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Items of one reason listed by name; beyond this, "and N more".
LISTED_PER_REASON = 10


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


@dataclass
class Tally:
    """Rows of one kind the import wrote. Rows given a key (authors, terms, media: few)
    count once however often they come up; posts and comments are met once each and
    are only counted, so that memory stays flat in the size of the export."""

    new: int = 0
    updated: int = 0
    keys: set[object] = field(default_factory=set)

    def add(self, created: bool, key: object = None) -> None:
        if key is not None:
            if key in self.keys:
                return
            self.keys.add(key)
        if created:
            self.new += 1
        else:
            self.updated += 1

    @property
    def total(self) -> int:
        return self.new + self.updated

    def describe(self, word: str, words: str | None = None) -> str:
        text = plural(self.total, word, words)
        if self.updated:
            return f"{text} ({self.new} new, {self.updated} updated)"
        return f"{text} ({self.new} new)" if self.total else text


@dataclass
class Reason:
    count: int = 0
    names: list[str] = field(default_factory=list)


@dataclass
class WxrSummary:
    authors: Tally = field(default_factory=Tally)
    categories: Tally = field(default_factory=Tally)
    tags: Tally = field(default_factory=Tally)
    posts: Tally = field(default_factory=Tally)
    pages: Tally = field(default_factory=Tally)
    comments: Tally = field(default_factory=Tally)
    media: Tally = field(default_factory=Tally)
    redirects: int = 0
    skipped: dict[str, Reason] = field(default_factory=dict)
    notes: dict[str, Reason] = field(default_factory=dict)

    def skip(self, name: str, reason: str) -> None:
        """`name` ("post 12 “Title”") was left out because of `reason` (a sentence)."""
        _add(self.skipped, name, reason)

    def note(self, name: str, reason: str) -> None:
        _add(self.notes, name, reason)

    @property
    def skipped_count(self) -> int:
        return sum(reason.count for reason in self.skipped.values())

    def __str__(self) -> str:
        counts = ", ".join(
            [
                self.authors.describe("author"),
                self.categories.describe("category", "categories"),
                self.tags.describe("tag"),
                self.posts.describe("post"),
                self.pages.describe("page"),
                self.comments.describe("comment"),
                self.media.describe("image"),
                plural(self.redirects, "redirect"),
            ]
        )
        lines = [f"Imported {counts}."]
        if self.skipped:
            lines.append(f"Skipped {plural(self.skipped_count, 'item')}:")
            lines.extend(_describe(self.skipped))
        if self.notes:
            lines.append("Notes:")
            lines.extend(_describe(self.notes))
        return "\n".join(lines)


def _add(reasons: dict[str, Reason], name: str, reason: str) -> None:
    found = reasons.setdefault(reason, Reason())
    found.count += 1
    if len(found.names) < LISTED_PER_REASON:
        found.names.append(name)


def _describe(reasons: dict[str, Reason]) -> list[str]:
    lines = []
    for reason, found in reasons.items():
        names = ", ".join(found.names)
        if found.count > len(found.names):
            names += f" and {found.count - len(found.names)} more"
        lines.append(f"  {names}: {reason}.")
    return lines
