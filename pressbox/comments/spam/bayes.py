"""A naive Bayes spam classifier that learns, on this site, from its moderators.

Every Approve teaches it a good ("ham") comment and every Spam a bad one (through
`pressbox.comments.services.comment_moderate`); imports teach it their approved and
spam comments (`train_many`). What it knows is how many spam and good comments each
token appeared in (`SpamToken`) and how many of each it has learnt (`SpamFilterState`),
so every web process and the worker share it through the database.

Scoring follows Paul Graham's "A Plan for Spam" as Gary Robinson refined it (and
SpamBayes implements it): each token's spam probability from its per-class document
frequencies with Laplace smoothing, then the ~15 tokens that are furthest from 0.5
combined with Fisher's chi-squared method. The classifier only votes once it has
learnt from MIN_DOCUMENTS of each kind; below SPAM_THRESHOLD it only records the score.

Learning is safe with several processes: counts change by UPDATE … SET n = n + k
(F() expressions), new tokens are inserted with ON CONFLICT DO NOTHING, and every
learning transaction locks its comments, then updates the single SpamFilterState row
before touching any token, so concurrent learners take turns instead of deadlocking.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Greatest
from django.utils import timezone

from pressbox.comments.models import Comment, SpamFilterState, SpamToken
from pressbox.comments.spam import Verdict, count_links
from pressbox.posts.models import SiteSettings

SPAM_THRESHOLD = 0.9  # at or above: the comment is spam
MIN_DOCUMENTS = 10  # spam and good comments each, learnt before the classifier votes
MAX_CLUES = 15  # the most telling tokens of a comment that are combined
MIN_STRENGTH = 0.1  # tokens whose probability is this close to 0.5 tell nothing
STATE_PK = 1
BATCH = 500  # rows or parameters per statement, well under SQLite's limits
TOKENS_PER_UPDATE = 150  # each costs 5 parameters at most

SPAM, HAM = "spam", "ham"
LABEL_OF_STATUS: dict[str, str] = {Comment.Status.SPAM: SPAM, Comment.Status.APPROVED: HAM}

URL = re.compile(r"(?:https?://|(?<![/\w.@])www\.)[^\s<>\"'()\[\]{}]+", re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
MONEY = re.compile(r"[$€£]\s?\d|\d\s?(?:usd|eur|dollars?)\b", re.IGNORECASE)
MAX_WORD = 30
TOKEN_LENGTH = SpamToken._meta.get_field("token").max_length or 64


# Tokens --------------------------------------------------------------------------


def tokens(comment: Comment) -> set[str]:
    """The distinct tokens of a comment: its words, the domains it links to, and a few
    facts about it ("has:url", "links:3", "name:words:4", "email:example.com")."""
    body = comment.body or ""
    found = body_tokens(body)
    found |= name_tokens(comment.author_name or "")
    found |= email_tokens(comment.author_email or "")
    if comment.author_url:
        found.add("has:website")
        found |= {f"site:{part}" for part in domain_parts(comment.author_url)}
    return {token[:TOKEN_LENGTH] for token in found}


def body_tokens(body: str) -> set[str]:
    urls = URL.findall(body)
    found = {f"url:{part}" for url in urls for part in domain_parts(url)}
    text = TAG.sub(" ", URL.sub(" ", body))
    found |= words(text)
    found.add(f"links:{min(count_links(body), 3)}")
    found.add(f"len:{length_bucket(len(body))}")
    if urls:
        found.add("has:url")
    if "<a" in body.lower():
        found.add("has:html")
    if MONEY.search(body):
        found.add("has:money")
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 20 and sum(c.isupper() for c in letters) > len(letters) / 2:
        found.add("has:shouting")
    return found


def words(text: str) -> set[str]:
    return {w for w in WORD.findall(text.lower()) if 2 <= len(w) <= MAX_WORD}


def name_tokens(name: str) -> set[str]:
    parts = WORD.findall(name.lower())
    found = {f"name:{w}" for w in parts if len(w) <= MAX_WORD}
    found.add(f"name:words:{min(len(parts), 4)}")
    if any(c.isdigit() for c in name):
        found.add("name:digits")
    return found


def email_tokens(email: str) -> set[str]:
    local, _, domain = email.lower().rpartition("@")
    found = {f"email:{domain}"} if domain else set()
    if re.search(r"\d{3,}", local):
        found.add("email:digits")
    return found


def domain_parts(url: str) -> list[str]:
    """The host a URL points to, without "www.", and its top-level domain."""
    try:
        host = urlsplit(url if "://" in url else f"http://{url}").hostname or ""
    except ValueError:
        return []
    host = host.removeprefix("www.").rstrip(".")
    if not host:
        return []
    return [host, f"tld:{host.rsplit('.', 1)[-1]}"]


def length_bucket(n: int) -> str:
    for limit, name in ((40, "tiny"), (200, "short"), (1000, "medium")):
        if n < limit:
            return name
    return "long"


# Scoring -------------------------------------------------------------------------


def token_probability(spam: int, ham: int, spam_docs: int, ham_docs: int) -> float:
    """How likely a comment holding this token is spam, with Laplace smoothing, so a
    token seen once or twice is only a hint."""
    spam_rate = (spam + 1) / (spam_docs + 2)
    ham_rate = (ham + 1) / (ham_docs + 2)
    return spam_rate / (spam_rate + ham_rate)


def chi2q(x2: float, dof: int) -> float:
    """P(chi² with `dof` (even) degrees of freedom >= x2)."""
    m = x2 / 2.0
    term = total = math.exp(-m)
    for i in range(1, dof // 2):
        term *= m / i
        total += term
    return min(total, 1.0)


def combine(probabilities: Sequence[float]) -> float:
    """Robinson's Fisher combining: 1 when the clues agree on spam, 0 on good, 0.5
    when they say nothing or contradict each other."""
    if not probabilities:
        return 0.5
    n = len(probabilities)
    clamped = [min(max(p, 0.01), 0.99) for p in probabilities]
    spamminess = 1.0 - chi2q(-2.0 * sum(math.log(1.0 - p) for p in clamped), 2 * n)
    hamminess = 1.0 - chi2q(-2.0 * sum(math.log(p) for p in clamped), 2 * n)
    return (1.0 + spamminess - hamminess) / 2.0


def score(
    found: Iterable[str], counts: dict[str, tuple[int, int]], spam_docs: int, ham_docs: int
) -> float:
    """The spam probability of a document's tokens, given what was learnt."""
    clues = []
    for token in found:
        spam, ham = counts.get(token, (0, 0))
        if spam + ham == 0:
            continue  # never seen: says nothing
        p = token_probability(spam, ham, spam_docs, ham_docs)
        if abs(p - 0.5) >= MIN_STRENGTH:
            clues.append((abs(p - 0.5), token, p))
    clues.sort(key=lambda clue: (-clue[0], clue[1]))
    return combine([p for _, _, p in clues[:MAX_CLUES]])


def state() -> SpamFilterState:
    """How much the classifier has learnt (an unsaved, empty state before any)."""
    return SpamFilterState.objects.filter(pk=STATE_PK).first() or SpamFilterState(pk=STATE_PK)


def is_ready(learnt: SpamFilterState) -> bool:
    return min(learnt.spam_documents, learnt.ham_documents) >= MIN_DOCUMENTS


def spam_probability(comment: Comment) -> float | None:
    """The classifier's probability that `comment` is spam, or None while it has not
    learnt enough to judge. Two queries."""
    learnt = state()
    if not is_ready(learnt):
        return None
    found = tokens(comment)
    counts: dict[str, tuple[int, int]] = {}
    for chunk in batched(sorted(found)):
        rows = SpamToken.objects.filter(token__in=chunk)
        counts.update(
            (t, (s, h)) for t, s, h in rows.values_list("token", "spam_count", "ham_count")
        )
    return score(found, counts, learnt.spam_documents, learnt.ham_documents)


def check(comment: Comment, *, form_data: dict[str, Any], site: SiteSettings) -> Verdict | None:
    """The spam check: spam at SPAM_THRESHOLD or above, otherwise only a score."""
    probability = spam_probability(comment)
    if probability is None:
        return None
    status = Comment.Status.SPAM if probability >= SPAM_THRESHOLD else None
    return Verdict(status, f"classifier: {probability:.0%} spam", probability)


# Learning ------------------------------------------------------------------------


def train(comment: Comment, *, as_spam: bool) -> bool:
    """Learn a saved comment as spam or as good; if it was learnt as the other kind,
    that is un-learnt first. Returns whether anything changed."""
    return relabel([(comment, SPAM if as_spam else HAM)]) > 0


def untrain(comment: Comment) -> bool:
    """Forget whatever was learnt from `comment`."""
    return relabel([(comment, "")]) > 0


def train_many(comments: Iterable[Comment]) -> int:
    """Learn from comments already judged elsewhere (imports): spam as spam, approved as
    good; other statuses are skipped. Works in batches; returns how many were learnt."""
    labelled = ((c, LABEL_OF_STATUS[c.status]) for c in comments if c.status in LABEL_OF_STATUS)
    return sum(relabel(chunk) for chunk in batched(labelled))


def relabel(changes: Sequence[tuple[Comment, str]]) -> int:
    """Learn each saved comment as its label: "spam", "ham", or "" (forget it).

    What a comment was learnt as is re-read under a row lock, so two moderators
    re-labelling the same comment at once cannot un-learn it twice. The tokens are
    those of the comment as it is now: un-learning an edited comment subtracts what
    it holds now, and counts never go below zero.
    """
    slot = {SPAM: 0, HAM: 1}
    deltas: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    documents = [0, 0]
    final: dict[int, str] = {}
    with transaction.atomic():
        locked = Comment.objects.select_for_update().filter(pk__in=[c.pk for c, _ in changes])
        learnt = dict(locked.order_by("pk").values_list("pk", "trained_as"))
        for comment, label in changes:
            before = learnt.get(comment.pk)
            if before is None or before == label:
                continue  # deleted meanwhile, or already learnt so
            step = [0, 0]
            if before in slot:
                step[slot[before]] -= 1
            if label in slot:
                step[slot[label]] += 1
            for token in tokens(comment):
                deltas[token][0] += step[0]
                deltas[token][1] += step[1]
            documents[0] += step[0]
            documents[1] += step[1]
            learnt[comment.pk] = final[comment.pk] = comment.trained_as = label
        if not final:
            return 0
        _add_documents(*documents)
        _add_tokens(deltas)
        for label in set(final.values()):
            pks = [pk for pk, value in final.items() if value == label]
            Comment.objects.filter(pk__in=pks).update(trained_as=label)
    return len(final)


def _add_documents(spam: int, ham: int) -> None:
    # Before any token: this row's lock makes concurrent learners take turns.
    SpamFilterState.objects.get_or_create(pk=STATE_PK)
    SpamFilterState.objects.filter(pk=STATE_PK).update(
        spam_documents=_plus("spam_documents", spam),
        ham_documents=_plus("ham_documents", ham),
        updated_at=timezone.now(),
    )


def _add_tokens(deltas: dict[str, list[int]]) -> None:
    """Add each token's (spam, ham) change: one UPDATE per batch of tokens."""
    new = [SpamToken(token=t) for t, (s, h) in deltas.items() if s > 0 or h > 0]
    SpamToken.objects.bulk_create(new, ignore_conflicts=True, batch_size=BATCH)
    changed = sorted(t for t, (spam, ham) in deltas.items() if spam or ham)
    for chunk in batched(changed, TOKENS_PER_UPDATE):
        changes = {}
        for slot, field in enumerate(("spam_count", "ham_count")):
            change = _change(field, {token: deltas[token][slot] for token in chunk})
            if change is not None:
                changes[field] = change
        SpamToken.objects.filter(token__in=chunk).update(**changes)


def _change(field: str, amounts: dict[str, int]) -> Combinable | None:
    """`field` plus each token's amount, as SQL: `field + n` when all add the same n
    (one comment learnt), else `field + CASE token WHEN … END` (many at once)."""
    nonzero = {token: n for token, n in amounts.items() if n}
    if not nonzero:
        return None
    if len(nonzero) == len(amounts) and len(set(nonzero.values())) == 1:
        return _plus(field, next(iter(nonzero.values())))
    whens = [When(token=token, then=Value(n)) for token, n in nonzero.items()]
    added = Case(*whens, default=Value(0), output_field=IntegerField())
    return Greatest(F(field) + added, Value(0))


def _plus(field: str, n: int) -> Combinable:
    """`field + n` computed by the database, never below zero."""
    return F(field) + n if n >= 0 else Greatest(F(field) + n, Value(0))


T = TypeVar("T")


def batched(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
