"""The owner's "Comment moderation" keys: a comment containing one is held.

Matched as the disallowed keys are (see `pressbox.comments.spam.find_key`).
"""

from __future__ import annotations

from typing import Any

from pressbox.comments.models import Comment
from pressbox.comments.spam import Verdict, find_key, quoted
from pressbox.posts.models import SiteSettings


def check(comment: Comment, *, form_data: dict[str, Any], site: SiteSettings) -> Verdict | None:
    key = find_key(comment, site.moderation_keys)
    if key is None:
        return None
    return Verdict(Comment.Status.PENDING, f"contains the moderation key {quoted(key)}")
