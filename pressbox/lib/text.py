"""Plain-text typography for titles and names, as WordPress's wptexturize does.

Bodies get the same treatment from the Markdown typographer; titles, author names and
commenter names are plain text, so they go through `texturize` when shown (the stored
value stays as typed, so editing shows what the writer wrote).
"""

from __future__ import annotations

import re

_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<=\w)'(?=\w)"), "\u2019"),  # don't, Umer's
    (re.compile(r"(?<![\w.,!?)\]])'"), "\u2018"),  # 'opening
    (re.compile(r"'"), "\u2019"),  # closing' and the rest
    (re.compile(r'(?<![\w.,!?)\]])"'), "\u201c"),
    (re.compile(r'"'), "\u201d"),
    (re.compile(r"---"), "\u2014"),
    (re.compile(r"(?<=\s)--(?=\s)"), "\u2013"),
    (re.compile(r"\.\.\."), "\u2026"),
]


def texturize(text: str) -> str:
    """Curly quotes and apostrophes, en and em dashes, and ellipses in plain text."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
