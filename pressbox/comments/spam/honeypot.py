"""The honeypot: a field hidden from people that only robots fill in.

The form accepts it (a robot learns nothing from a refusal), and the comment is kept
as spam for review rather than dropped.
"""

from __future__ import annotations

from typing import Any

from pressbox.comments.models import Comment
from pressbox.comments.spam import Verdict
from pressbox.posts.models import SiteSettings

FIELD = "url_confirm"


def check(comment: Comment, *, form_data: dict[str, Any], site: SiteSettings) -> Verdict | None:
    if str(form_data.get(FIELD) or "").strip():
        return Verdict(Comment.Status.SPAM, "filled the hidden honeypot field")
    return None
