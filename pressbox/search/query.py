"""What a reader typed into the search box, as terms a backend can match safely.

Readers get three things: words (every one must match, stemmed, so "squats" finds
"squat"), "quoted phrases", and a trailing `*` for a prefix (`deadl*`). Everything
else is text: operators of either database (AND, OR, NOT, NEAR, ^, :, column filters,
parentheses) are plain words or separators, and no input reaches a database as syntax.
A backend receives only words made of letters and digits, which it quotes itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters of the query kept, and terms matched; the rest is dropped.
MAX_LENGTH = 200
MAX_TERMS = 12
# Shorter prefixes (`a*`) would match half the dictionary; they count as plain words.
MIN_PREFIX = 2

# Words too common to mean anything on their own: PostgreSQL's 'english' configuration
# ignores these, and dropping them from SQLite queries too makes both backends agree
# ("how to squat" needs only "squat"). Inside a "phrase" they stay.
STOP_WORDS = frozenset(
    str.split(
        """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now
    """
    )
)

_WORD = re.compile(r"[^\W_]+")
# Outside quotes, what is not a letter, digit or a joiner inside a word (don't,
# squat/deadlift, 5.5, e-mail, prefix*) separates terms: brackets, colons, commas…
_SEPARATOR = re.compile(r"[^\w'’\-‐./@&*]+")
_PREFIX_END = re.compile(r"[^\W_]\*+\W*$")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "＂": '"'})


@dataclass(frozen=True)
class Term:
    """One word, or the words of a phrase in order; `prefix`: the last word is a prefix.

    `joined` keeps a chunk typed as one (`squat/deadlift`, `5.5`) for a backend whose
    parser reads such a chunk as a single token (PostgreSQL's does).
    """

    words: tuple[str, ...]
    prefix: bool = False
    joined: str = ""


@dataclass(frozen=True)
class Query:
    text: str  # what was typed, cleaned: shown back in the box and the heading
    terms: tuple[Term, ...]


def clean(raw: str) -> str:
    """The typed text without control or unprintable characters, spaces folded, capped."""
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in raw
        if ch.isspace() or unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
    )
    return " ".join(kept.split())[:MAX_LENGTH].strip()


def parse(raw: str) -> Query:
    text = clean(raw)
    terms: list[Term] = []
    # Between quotes (odd parts) is a phrase; an unclosed quote runs to the end.
    for n, part in enumerate(text.translate(_QUOTES).split('"')):
        phrase = n % 2 == 1
        for chunk in [part] if phrase else _SEPARATOR.split(part):
            term = _term(chunk, phrase=phrase)
            if term is None or term in terms:
                continue
            if not phrase and not term.prefix and all(w in STOP_WORDS for w in term.words):
                continue
            terms.append(term)
    return Query(text=text, terms=tuple(terms[:MAX_TERMS]))


def _term(chunk: str, *, phrase: bool = False) -> Term | None:
    """A chunk's words; `don't` or `squat/deadlift` become a phrase of two, as indexed."""
    words = tuple(word.lower() for word in _WORD.findall(chunk))
    if not words:
        return None
    prefix = bool(_PREFIX_END.search(chunk)) and len(words[-1]) >= MIN_PREFIX
    joined = chunk.strip("'’-‐./@&*").lower() if len(words) > 1 and not phrase else ""
    return Term(words=words, prefix=prefix, joined="" if prefix else joined)
