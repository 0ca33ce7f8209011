"""The owner's "Disallowed comment keys": a comment containing one is spam.

As in WordPress, one word, phrase, email address or IP per line, matched ignoring
case inside the name, email, website, body, IP address and user agent.
"""

from __future__ import annotations

from typing import Any

from pressbox.comments.models import Comment
from pressbox.comments.spam import Verdict, find_key, quoted
from pressbox.posts.models import SiteSettings


def check(comment: Comment, *, form_data: dict[str, Any], site: SiteSettings) -> Verdict | None:
    key = find_key(comment, site.disallowed_keys)
    if key is None:
        return None
    return Verdict(Comment.Status.SPAM, f"contains the disallowed key {quoted(key)}")
