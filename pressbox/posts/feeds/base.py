"""What every feed shares: a `Channel` found by the view, written in the asked format.

A view finds the channel (its title, addresses and items, in a fixed number of
queries), then calls `SomeFeed(kind)(request, channel=channel)`. Django's `Feed` adds
`Last-Modified` from the newest item's dates; `ConditionalGetMiddleware` adds the ETag
and answers 304 to a reader that already has this version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest

from pressbox.posts.feeds.formats import FORMATS, Person


@dataclass
class Channel:
    title: str
    link: str  # the page the feed follows, absolute
    feed_url: str  # this feed in this format, absolute
    description: str
    items: Sequence[Any]
    author: Person  # who the whole feed is by: the site, or the archive's author


class ChannelFeed(Feed):
    """A feed in one format ("rss", "atom" or "json") of a channel a view found."""

    def __init__(self, kind: str = "rss") -> None:
        self.feed_type = FORMATS[kind]

    def get_object(self, request: HttpRequest, channel: Channel) -> Channel:  # type: ignore[override]
        return channel

    def title(self, channel: Channel) -> str:
        return channel.title

    def link(self, channel: Channel) -> str:
        return channel.link

    def feed_url(self, channel: Channel) -> str:
        return channel.feed_url

    def description(self, channel: Channel) -> str:
        return channel.description

    def subtitle(self, channel: Channel) -> str | None:
        return channel.description or None

    def author_name(self, channel: Channel) -> str:
        return channel.author.name

    def author_link(self, channel: Channel) -> str | None:
        return channel.author.url

    def feed_extra_kwargs(self, channel: Channel) -> dict[str, Any]:
        return {"authors": [channel.author]}

    def items(self, channel: Channel) -> Sequence[Any]:
        return channel.items

    item_guid_is_permalink = False
