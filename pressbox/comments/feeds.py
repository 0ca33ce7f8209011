"""Comment feeds (RSS 2.0): `/comments/feed/` for the whole site, `<permalink>feed/` for
one post. Approved comments on published posts only, newest first, 50 at most; no
email address, ever. Each item links to the comment on its comments page, found for
all items at once (`pages.comment_pages`), so a feed costs the same few queries
whatever its length. URLs are absolute on `settings.SITE_URL`.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import unquote

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from pressbox.comments.models import Comment
from pressbox.comments.pages import comment_pages, page_url
from pressbox.posts.models import Post, SiteSettings

FEED_LENGTH = 50


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


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


class CommentFeed(Feed):
    """What both comment feeds say about each comment."""

    def item_title(self, item: Comment) -> str:
        return f"Comment on {item.post.title} by {item.author_name}"

    def item_description(self, item: Comment) -> str:
        return item.body_html

    def item_link(self, item: Comment) -> str:
        return item.feed_link  # type: ignore[attr-defined]

    def item_guid(self, item: Comment) -> str:
        return item.feed_guid  # type: ignore[attr-defined]

    item_guid_is_permalink = False

    def item_pubdate(self, item: Comment) -> datetime:
        return item.created_at

    def item_author_name(self, item: Comment) -> str:
        return item.author_name


class LatestCommentsFeed(CommentFeed):
    """`/comments/feed/`: the latest comments on the whole site."""

    def get_object(self, request: HttpRequest) -> SiteSettings:  # type: ignore[override]
        return SiteSettings.load()

    def title(self, site: SiteSettings) -> str:
        return f"Comments on {site.title}"

    def link(self, site: SiteSettings) -> str:
        return absolute(reverse("posts:home"))

    def feed_url(self, site: SiteSettings) -> str:
        return absolute(reverse("comments:feed"))

    def description(self, site: SiteSettings) -> str:
        return f"The latest comments on {site.title}"

    def items(self, site: SiteSettings) -> list[Comment]:
        published = Post.objects.published()
        return with_links(Comment.objects.approved().filter(post__in=published))


class PostCommentsFeed(CommentFeed):
    """`<permalink>feed/`: the latest comments on one post."""

    def get_object(self, request: HttpRequest, post: Post) -> Post:  # type: ignore[override]
        return post

    def title(self, post: Post) -> str:
        return f"Comments on “{post.title}”"

    def link(self, post: Post) -> str:
        return absolute(post.get_absolute_url())

    def feed_url(self, post: Post) -> str:
        return absolute(f"{post.get_absolute_url()}feed/")

    def description(self, post: Post) -> str:
        return f"The latest comments on “{post.title}”"

    def items(self, post: Post) -> list[Comment]:
        return with_links(Comment.objects.approved().filter(post=post))


def post_comments_feed(
    request: HttpRequest, slug: str | None = None, pk: int | None = None, **date_parts: int
) -> HttpResponse:
    """Any permalink shape + `feed/` finds the post; a wrong shape answers 301."""
    published = Post.objects.published()
    post = get_object_or_404(published, pk=pk) if pk else get_object_or_404(published, slug=slug)
    canonical = f"{post.get_absolute_url()}feed/"
    if request.path != unquote(canonical):
        return HttpResponsePermanentRedirect(canonical)
    return PostCommentsFeed()(request, post=post)
