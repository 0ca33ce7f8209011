"""Hold a comment with more links in its body than the owner allows.

The commenter's website field is not counted: it is one link everyone may give.
"""

from __future__ import annotations

from typing import Any

from pressbox.comments.models import Comment
from pressbox.comments.spam import Verdict, count_links
from pressbox.posts.models import SiteSettings


def check(comment: Comment, *, form_data: dict[str, Any], site: SiteSettings) -> Verdict | None:
    found, allowed = count_links(comment.body), site.comment_max_links
    if found <= allowed:
        return None
    noun = "link" if found == 1 else "links"
    return Verdict(Comment.Status.PENDING, f"has {found} {noun} (more than {allowed})")
