from __future__ import annotations

from django.contrib.syndication.views import Feed


class LatestCommentsFeed(Feed):
    """Placeholder until the comment feeds land (issue 3)."""

    title = "Comments"
    link = "/"

    def items(self) -> list:
        return []
