"""Comment feeds: `/comments/feed/` for the whole site, `<permalink>feed/` for one post,
each also as Atom (`…feed/atom/`) and JSON Feed (`…feed/json/`); the formats are the
post feeds' (`pressbox.posts.feeds`).

Approved comments on published posts only, newest first, 50 at most; a commenter's
name and words, never their email address, IP or website. Each item links to the
comment on its comments page, found for all items at once (`pages.comment_pages`), so
a feed costs the same few queries whatever its length. URLs are absolute on
`settings.SITE_URL`.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import unquote

from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from pressbox.comments.models import Comment
from pressbox.comments.pages import comment_pages, page_url
from pressbox.lib.text import texturize
from pressbox.posts.feeds.base import Channel, ChannelFeed
from pressbox.posts.feeds.formats import SUFFIXES, Person
from pressbox.posts.feeds.links import absolute, absolute_html
from pressbox.posts.models import Post, SiteSettings

FEED_LENGTH = 50


def with_links(comments: QuerySet[Comment]) -> list[Comment]:
    """The comments, each with `feed_link` (its page and anchor) and `feed_guid` (its
    post and anchor, which stays put when the comment moves to another page)."""
    site = SiteSettings.load()
    found = list(
        comments.select_related("post")
        .defer("body", "post__body", "post__body_html")
        .order_by("-created_at", "-pk")[:FEED_LENGTH]
    )
    pages = comment_pages(found, site=site)
    for comment in found:
        base = comment.post.permalink(site.permalink_structure)
        link = page_url(comment.post, pages[comment.pk], base=base)
        comment.feed_link = absolute(f"{link}#{comment.anchor}")  # type: ignore[attr-defined]
        comment.feed_guid = absolute(f"{base}#{comment.anchor}")  # type: ignore[attr-defined]
    return found


class CommentFeed(ChannelFeed):
    """What every comment feed says about each comment."""

    def item_title(self, item: Comment) -> str:
        return f"Comment on {texturize(item.post.title)} by {texturize(item.author_name)}"

    def item_description(self, item: Comment) -> str:
        return item.body_html

    def item_link(self, item: Comment) -> str:
        return item.feed_link  # type: ignore[attr-defined]

    def item_guid(self, item: Comment) -> str:
        return item.feed_guid  # type: ignore[attr-defined]

    def item_pubdate(self, item: Comment) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Comment) -> datetime:
        return item.created_at

    def item_extra_kwargs(self, item: Comment) -> dict[str, object]:
        link = item.feed_link  # type: ignore[attr-defined]
        return {
            "authors": [Person(texturize(item.author_name))],
            "content_html": absolute_html(item.body_html, base=link),
        }


def site_person(site: SiteSettings) -> Person:
    return Person(site.title, absolute(reverse("posts:home")))


def latest_comments_feed(request: HttpRequest, kind: str = "rss") -> HttpResponse:
    """`/comments/feed/`: the latest comments on the whole site."""
    site = SiteSettings.load()
    # EXISTS rather than `post__in`: SQLite then walks comments newest first and stops
    # at 50, where `post__in` collected every comment of every published post to sort
    # them (23 s on 100,000 posts with 2 million comments; issue 7).
    on_published = Exists(Post.objects.published().filter(pk=OuterRef("post_id")))
    channel = Channel(
        title=f"Comments on {site.title}",
        link=absolute(reverse("posts:home")),
        feed_url=absolute(f"{reverse('comments:feed')}{SUFFIXES[kind]}"),
        description=f"The latest comments on {site.title}",
        items=with_links(Comment.objects.approved().filter(on_published)),
        author=site_person(site),
    )
    return CommentFeed(kind)(request, channel=channel)


def post_comments_feed(
    request: HttpRequest,
    slug: str | None = None,
    pk: int | None = None,
    kind: str = "rss",
    **date_parts: int,
) -> HttpResponse:
    """`<permalink>feed/`: the latest comments on one post. Any permalink shape +
    `feed/` finds the post; a wrong shape answers 301."""
    published = Post.objects.published()
    post = get_object_or_404(published, pk=pk) if pk else get_object_or_404(published, slug=slug)
    canonical = f"{post.get_absolute_url()}feed/{SUFFIXES[kind]}"
    if request.path != unquote(canonical):
        return HttpResponsePermanentRedirect(canonical)
    comments = with_links(Comment.objects.approved().filter(post=post))
    return CommentFeed(kind)(request, channel=post_comments_channel(post, kind, comments))


def post_comments_channel(post: Post, kind: str, comments: list[Comment]) -> Channel:
    """The feed of one post's latest comments (`with_links`), in format `kind`; the
    static export (pressbox/exporters/static_pages.py) builds every post's with it."""
    permalink = post.get_absolute_url()
    title = texturize(post.title)
    return Channel(
        title=f"Comments on “{title}”",
        link=absolute(permalink),
        feed_url=absolute(f"{permalink}feed/{SUFFIXES[kind]}"),
        description=f"The latest comments on “{title}”",
        items=comments,
        author=site_person(SiteSettings.load()),
    )
