"""The pages of a static export, rendered with the site's own templates, feeds and views.

The pages that grow with the site (each post with its comment pages and comment feeds,
every page of every list, every archive's feeds) are rendered in bulk: the template,
list view or feed the live site uses, with the context or channel the view would build,
from data read once (`static_site.PublishedSite`) rather than queried page by page. The
rest (pages, sitemaps, robots.txt, the comments feed, avatars, and any address a post
links to) goes through the view the URL resolver names, as a request would, with no
middleware (no page cache, no session). Either way the request is an anonymous
reader's, carrying the export's options as `request.static_export` for the templates.

What `render_post` (posts/views/detail.py) puts in a post page's context is repeated
here for the pages an export renders (no comment held for its author, no reply in
progress); tests compare every exported page with the view's answer, so the two cannot
drift apart unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import unescape
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import unquote, urlsplit

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.template import engines, loader
from django.test import RequestFactory
from django.urls import Resolver404, get_resolver

from pressbox.comments import pages
from pressbox.comments.feeds import CommentFeed, post_comments_channel, with_links
from pressbox.comments.forms import CommentForm
from pressbox.comments.models import Comment
from pressbox.exporters.static_site import Archive, PublishedSite
from pressbox.posts.feeds.formats import SUFFIXES
from pressbox.posts.feeds.posts import FEED_LENGTH, PostFeed, feed_posts, posts_channel
from pressbox.posts.models import Post
from pressbox.posts.views import archives
from pressbox.posts.views.detail import post_queryset

if TYPE_CHECKING:
    from pressbox.exporters.static import StaticOptions

SEARCH_PATH = "/search/"
SEARCH_INDEX = "search/index.json"
# A root-relative link in a start tag: the path only, without query or fragment.
LINK = re.compile(r"""\s(?:href|src|action)\s*=\s*["'](/(?!/)[^"'#?]*)""", re.IGNORECASE)

SEARCH_PAGE = """{% extends "base.html" %}{% load static %}
{% block title %}Search – {{ site.title }}{% endblock %}
{% block meta %}<meta name="robots" content="noindex, follow">{% endblock %}
{% block body_class %}archive archive-search search{% endblock %}
{% block content %}
<div class="h-feed" id="static-search" data-index="{{ index_url }}">
<header class="archive-header">
  <h1 class="archive-title p-name" id="static-search-title">Search</h1>
  <p class="archive-description search-count" id="static-search-count" aria-live="polite"></p>
</header>
<div id="static-search-results"></div>
<noscript><p class="no-results">Searching this copy of the site needs JavaScript.</p></noscript>
</div>
<script src="{% static 'pressbox/static-search.js' %}" defer></script>
{% endblock %}
"""


@dataclass
class Rendered:
    """One address's answer; `links` are the site's own addresses named in the text a
    person wrote that it shows (a post's body, its comments)."""

    path: str
    content_type: str
    body: bytes
    status: int = 200
    location: str = ""
    links: list[str] = field(default_factory=list)


def links_in(markup: str) -> list[str]:
    """The root-relative link paths of `markup`, as a server would look them up."""
    return [unquote(unescape(link)) for link in LINK.findall(markup)]


class PageRenderer:
    def __init__(self, site: PublishedSite, options: StaticOptions) -> None:
        self.site = site
        self.options = options
        self.factory = RequestFactory()
        self.host = urlsplit(options.base_url).netloc
        self.secure = options.base_url.startswith("https://")

    def request(self, path: str) -> HttpRequest:
        request = self.factory.get(
            path, SERVER_NAME=self.host, secure=self.secure, HTTP_HOST=self.host
        )
        request.user = AnonymousUser()
        request.static_export = self.options  # type: ignore[attr-defined]
        return request

    # Posts --------------------------------------------------------------------------

    def posts(
        self, pks: Iterable[int], *, skip: frozenset[str] = frozenset()
    ) -> Iterator[Rendered]:
        """Each post's page and comment pages, then its comment feeds; an address in
        `skip` (a page that takes a post's address) is left to its own view."""
        for post in post_queryset().filter(pk__in=list(pks)).order_by("-published_at", "-pk"):
            for rendered in self.post_pages(post):
                if rendered.path not in skip:
                    yield rendered
            if self.has_comment_feed(post):
                yield from self.comment_feeds(post)

    def has_comment_feed(self, post: Post) -> bool:
        return self.options.has_comment_feed(1 if post.pk in self.site.commented else 0)

    def post_pages(self, post: Post) -> Iterator[Rendered]:
        """`render_post` for every comment page of the post."""
        links = links_in(post.body_html)
        context = {
            "post": post,
            "authors": [byline.author for byline in post.post_authors.all()],
            "comments_open": post.accepts_comments(),
            "form": None if self.options.no_comment_form else CommentForm(post=post),
            "reply_to": None,
            "previous_post": self.site.previous_post(post),
            "next_post": self.site.next_post(post),
            "related_posts": self.site.related_posts(post),
            "toc": post.table_of_contents(),
            "comment_feed": self.has_comment_feed(post),
        }
        for page in self.comment_pages(post):
            path = unquote(page.url)
            context |= {
                "comment_page": page,
                "threads": page.threads,
                "comment_count": page.comment_count,
            }
            html = loader.render_to_string("posts/post_detail.html", context, self.request(path))
            comment_links = [link for c in page.comments for link in links_in(c.body_html)]
            yield Rendered(path, "text/html", html.encode(), links=links + comment_links)
            links = []

    def comment_pages(self, post: Post) -> Iterator[pages.CommentPage]:
        settings = self.site.settings
        if post.pk not in self.site.commented:
            # What `pages.comment_page` finds for a post without approved comments,
            # without its two queries.
            newest_first = settings.comment_order == settings.CommentOrder.NEWEST
            yield pages.CommentPage(post, 1, 1, 0, newest_first=newest_first)
            return
        first = pages.comment_page(post, number=1, site=settings)
        yield first
        for number in range(2, first.num_pages + 1):
            yield pages.comment_page(post, number=number, site=settings)

    def comment_feeds(self, post: Post) -> Iterator[Rendered]:
        """The post's comment feed in each format, as `post_comments_feed` answers."""
        comments: list[Comment] = []
        if post.pk in self.site.commented:
            comments = with_links(Comment.objects.approved().filter(post=post))
        base = unquote(post.get_absolute_url())
        for kind, suffix in SUFFIXES.items():
            path = f"{base}feed/{suffix}"
            channel = post_comments_channel(post, kind, comments)
            response = CommentFeed(kind)(self.request(path), channel=channel)
            yield Rendered(path, response["Content-Type"], response.content)

    # Lists --------------------------------------------------------------------------

    def archive_pages(self, archive: Archive, numbers: Iterable[int]) -> Iterator[Rendered]:
        """Pages of a list, by the list view's own `archive()`, from the posts in memory."""
        posts = cast("QuerySet[Post]", archive.posts)  # a list: archive() slices and counts it
        sticky = cast("QuerySet[Post] | None", archive.sticky)
        for number in numbers:
            path = unquote(archive.page_path(number))
            response = archives.archive(
                self.request(path),
                posts,
                base_path=archive.base_path,
                page=number,
                sticky=sticky,
                **archive.context,
            )
            yield Rendered(path, response["Content-Type"], response.content)

    def archive_feeds(self, archive: Archive) -> Iterator[Rendered]:
        """The archive's feed in each format, as its feed view answers, from one reading
        of its newest posts."""
        newest = [post.pk for post in archive.posts[:FEED_LENGTH]]
        items = feed_posts(Post.objects.filter(pk__in=newest))
        for kind, suffix in SUFFIXES.items():
            path = unquote(f"{archive.base_path}feed/{suffix}")
            channel = posts_channel(kind, items, **archive.feed)
            response = PostFeed(kind)(self.request(path), channel=channel)
            yield Rendered(path, response["Content-Type"], response.content)

    # Through the views --------------------------------------------------------------

    def view(self, path: str) -> Rendered | None:
        """The view's answer for `path`, or None when the site has no such page."""
        if path == SEARCH_PATH:
            return Rendered(path, "text/html", self.search_page())
        request = self.request(path)
        try:
            match = get_resolver().resolve(request.path_info)
        except Resolver404:
            return None
        request.resolver_match = match
        try:
            response: HttpResponseBase = match.func(request, *match.args, **match.kwargs)
        except Http404:
            return None
        render = getattr(response, "render", None)
        if render is not None and not getattr(response, "is_rendered", True):
            render()
        body = (
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
            if response.streaming
            else response.content  # type: ignore[attr-defined]
        )
        return Rendered(
            path,
            response.get("Content-Type", "text/html"),
            body,
            status=response.status_code,
            location=response.get("Location", ""),
        )

    def search_page(self) -> bytes:
        template = engines["django"].from_string(SEARCH_PAGE)
        index_url = self.options.prefix + SEARCH_INDEX
        return template.render({"index_url": index_url}, self.request(SEARCH_PATH)).encode()

    def not_found(self) -> bytes:
        handler: Any = get_resolver().resolve_error_handler(404)
        response = handler(self.request("/404.html"), Http404("No such page."))
        return bytes(response.content)
