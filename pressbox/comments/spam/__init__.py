"""Spam checks: small, local tests a new comment goes through before the owner's policy.

Each check is a callable (a function, or a class that is instantiated once) with the
signature of `Check`: it looks at the unsaved comment, the cleaned form data and the
site settings, and returns a `Verdict`, or None when it has nothing to say. The list
of checks, in order, is the `PRESSBOX_SPAM_CHECKS` setting (dotted paths), so a site
can drop one or plug in its own; `pressbox.comments.moderation.evaluate` runs them.
docs/spam.md describes the layers and what each reason in the queue means.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from pressbox.comments.models import Comment
    from pressbox.posts.models import SiteSettings

logger = logging.getLogger(__name__)

# A link: an HTML anchor (whatever its href, matched whole so that its address is not
# counted again), or a web address written out.
LINK = re.compile(r"<a\b[^>]*>|https?://|(?<![/\w.@])www\.\w", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    """What one check concluded.

    `status` is Comment.Status.SPAM or PENDING to decide, or None for a note that
    decides nothing (the classifier's score below its threshold). `reason` is shown
    to moderators in the queue.
    """

    status: str | None
    reason: str
    score: float | None = None


class Check(Protocol):
    def __call__(
        self, comment: Comment, *, form_data: dict[str, Any], site: SiteSettings
    ) -> Verdict | None: ...


def checks() -> list[tuple[str, Check]]:
    """The configured checks, in order, as (dotted path, callable)."""
    return _load(tuple(settings.PRESSBOX_SPAM_CHECKS))


@cache
def _load(paths: tuple[str, ...]) -> list[tuple[str, Check]]:
    loaded = []
    for path in paths:
        found = import_string(path)
        loaded.append((path, found() if isinstance(found, type) else found))
    return loaded


def check_setting(**_: Any) -> list[CheckMessage]:
    """A Django system check: every path in PRESSBOX_SPAM_CHECKS can be imported, so a
    typo stops `pressbox serve` with a sentence rather than failing each comment."""
    errors: list[CheckMessage] = []
    for path in settings.PRESSBOX_SPAM_CHECKS:
        try:
            import_string(path)
        except ImportError as exc:
            errors.append(
                Error(
                    f"PRESSBOX_SPAM_CHECKS lists {path!r}, which cannot be imported: {exc}",
                    id="pressbox.comments.E001",
                )
            )
    return errors


def run_checks(
    comment: Comment, *, form_data: dict[str, Any], site: SiteSettings
) -> Iterator[Verdict]:
    """Every verdict the checks give, in order.

    A check that fails is logged and skipped (it fails open, as a spam filter that
    breaks must not stop people commenting); the other layers still apply.
    """
    for path, check in checks():
        try:
            verdict = check(comment, form_data=form_data, site=site)
        except Exception:
            logger.exception("Spam check %s failed; the comment goes on without it.", path)
            continue
        if verdict is not None:
            yield verdict


def count_links(text: str) -> int:
    """Links in a comment body: HTML anchors plus written-out addresses."""
    return len(LINK.findall(text))


def find_key(comment: Comment, keys: str) -> str | None:
    """The first line of `keys` found in the comment, as WordPress matches its lists.

    Each non-blank line is matched, ignoring case, as a substring of the name, email,
    website, body, IP address and user agent.
    """
    fields = (
        comment.author_name,
        comment.author_email,
        comment.author_url,
        comment.body,
        str(comment.ip_address or ""),
        comment.user_agent,
    )
    haystack = "\n".join(fields).casefold()
    for line in keys.splitlines():
        key = line.strip()
        if key and key.casefold() in haystack:
            return key
    return None


def quoted(key: str, limit: int = 60) -> str:
    """A key as a reason shows it: quoted, and cut so the reason fits its column."""
    return f"“{key if len(key) <= limit else key[: limit - 1] + '…'}”"
