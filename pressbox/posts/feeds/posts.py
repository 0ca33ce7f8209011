"""Post feeds: the site's (`/feed/`) and every archive's (`<archive>/feed/`), in RSS 2.0
(`feed/`), Atom (`feed/atom/`) and JSON Feed (`feed/json/`).

The latest `FEED_LENGTH` published posts, newest first, each with its full content,
every co-author, its categories and tags and its featured image, in four queries
(posts with their image, co-authors with profiles, categories, tags) however long the
feed or the bylines. An archive's feed lists what the archive lists: a category's
includes its descendants' posts; an unknown category, tag or author is a 404. Archives
filter with EXISTS, as their pages do, so the newest posts come off the
(published_at, id) index and the query stops after `FEED_LENGTH` rows.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import unquote

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from pressbox.accounts.models import User
from pressbox.lib.text import texturize
from pressbox.posts.feeds.base import Channel, ChannelFeed
from pressbox.posts.feeds.formats import SUFFIXES, Image, Person, Term
from pressbox.posts.feeds.links import absolute, absolute_html
from pressbox.posts.models import Category, Post, PostAuthor, SiteSettings, Tag

# WordPress's default for "Syndication feeds show the most recent" (posts_per_rss).
FEED_LENGTH = 10


class PostFeed(ChannelFeed):
    """What every post feed says about each post."""

    def item_title(self, post: Post) -> str:
        return texturize(post.title)

    def item_link(self, post: Post) -> str:
        return absolute(post.get_absolute_url())

    def item_description(self, post: Post) -> str:
        return post.summary

    def item_guid(self, post: Post) -> str:
        return post_guid(post)

    def item_pubdate(self, post: Post) -> datetime | None:
        return post.published_at

    def item_updateddate(self, post: Post) -> datetime:
        assert post.published_at is not None  # published() posts have one
        return max(post.updated_at, post.published_at)

    def item_comments(self, post: Post) -> str:
        return f"{absolute(post.get_absolute_url())}#comments"

    def item_extra_kwargs(self, post: Post) -> dict[str, object]:
        link = absolute(post.get_absolute_url())
        return {
            "authors": [person(pa.author) for pa in post.post_authors.all()],
            "terms": terms(post),
            "content_html": absolute_html(post.body_html, base=link),
            "summary": post.summary,
            "image": featured_image(post),
            "replies": {kind: f"{link}feed/{suffix}" for kind, suffix in SUFFIXES.items()},
        }


def post_guid(post: Post) -> str:
    """An id that survives a new slug or date: `/archives/<id>/`, or for a post imported
    from WordPress the guid WordPress gave it (`/?p=<id>`), so readers see no duplicates."""
    source, _, wordpress_id = post.import_ref.partition(":")
    if source == "wxr" and wordpress_id.isdigit():
        return absolute(f"/?p={wordpress_id}")
    return absolute(reverse("posts:detail-numeric", kwargs={"pk": post.pk}))


def person(user: User) -> Person:
    profile = getattr(user, "profile", None)
    return Person(
        name=texturize(user.display_name),
        url=absolute(reverse("posts:author", kwargs={"username": user.username})),
        avatar=absolute(profile.avatar_url) if profile is not None else None,
    )


def terms(post: Post) -> list[Term]:
    categories = [Term(c.slug, c.name, absolute("/category/")) for c in post.categories.all()]
    tags = [Term(t.slug, t.name, absolute("/tag/")) for t in post.tags.all()]
    return categories + tags


def featured_image(post: Post) -> Image | None:
    media = post.featured_image
    if media is None:
        return None
    return Image(
        url=absolute(media.url),
        mime_type=media.mime_type,
        length=media.size,
        width=media.width,
        height=media.height,
        alt=media.alt_text,
    )


def feed_posts(posts: QuerySet[Post]) -> list[Post]:
    """The newest of `posts` with all a feed shows, in four queries."""
    authors = PostAuthor.objects.select_related("author__profile")
    return list(
        posts.select_related("featured_image")
        .defer("body")
        .prefetch_related(Prefetch("post_authors", queryset=authors), "categories", "tags")
        .order_by("-published_at", "-pk")[:FEED_LENGTH]
    )


def posts_feed(
    request: HttpRequest, kind: str, posts: QuerySet[Post], *, path: str, name: str = "",
    description: str = "", author: Person | None = None,
) -> HttpResponse:  # fmt: skip
    """The feed of the archive at `path` (`name` its heading, empty for the site)."""
    channel = posts_channel(
        kind, feed_posts(posts), path=path, name=name, description=description, author=author
    )
    return PostFeed(kind)(request, channel=channel)


def posts_channel(
    kind: str, items: list[Post], *, path: str, name: str = "", description: str = "",
    author: Person | None = None,
) -> Channel:  # fmt: skip
    """The channel of the archive at `path` for `items` (`feed_posts`); the static export
    (pressbox/exporters/static_pages.py) builds every archive's with it."""
    site = SiteSettings.load()
    return Channel(
        title=f"{site.title} » {name}" if name else site.title,
        link=absolute(path),
        feed_url=absolute(f"{path}feed/{SUFFIXES[kind]}"),
        description=description or site.tagline,
        items=items,
        author=author or Person(site.title, absolute(reverse("posts:home"))),
    )


# Views --------------------------------------------------------------------------------

# WordPress's other addresses for its RSS feed, kept by blogs that moved here.
LEGACY_SUFFIXES = {"rss2", "rss", "rdf"}


def legacy_feed(request: HttpRequest, legacy: str, **address: object) -> HttpResponse:
    """`…feed/rss2/`, `…feed/rss/` and `…feed/rdf/` answer 301 to `…feed/` (RSS 2.0)."""
    if legacy not in LEGACY_SUFFIXES:
        raise Http404("No such feed.")
    return HttpResponsePermanentRedirect(request.path[: -len(legacy) - 1])


def site_feed(request: HttpRequest, kind: str = "rss") -> HttpResponse:
    return posts_feed(request, kind, Post.objects.published(), path=reverse("posts:home"))


def category_feed(request: HttpRequest, path: str, kind: str = "rss") -> HttpResponse:
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    cat = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    canonical = cat.get_absolute_url()
    if f"/category/{path}/" != unquote(canonical):  # one address per category
        return HttpResponsePermanentRedirect(f"{canonical}feed/{SUFFIXES[kind]}")
    filed = Post.categories.through.objects.filter(
        post_id=OuterRef("pk"), category_id__in=cat.descendant_ids()
    )
    posts = Post.objects.published().filter(Exists(filed))
    return posts_feed(
        request,
        kind,
        posts,
        path=canonical,
        name=f"Category: {texturize(cat.name)}",
        description=cat.description,
    )


def tag_feed(request: HttpRequest, slug: str, kind: str = "rss") -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    tagged = Post.tags.through.objects.filter(post_id=OuterRef("pk"), tag_id=tag.pk)
    posts = Post.objects.published().filter(Exists(tagged))
    name = f"Tag: {texturize(tag.name)}"
    return posts_feed(request, kind, posts, path=tag.get_absolute_url(), name=name)


def author_feed(request: HttpRequest, username: str, kind: str = "rss") -> HttpResponse:
    user = get_object_or_404(User.objects.select_related("profile"), username=username)
    written = PostAuthor.objects.filter(post_id=OuterRef("pk"), author_id=user.pk)
    posts = Post.objects.published().filter(Exists(written))
    if not hasattr(user, "profile") and not posts.exists():
        raise Http404("No such author.")
    by = person(user)
    path = reverse("posts:author", kwargs={"username": user.username})
    return posts_feed(request, kind, posts, path=path, name=f"Author: {by.name}", author=by)


def date_feed(
    request: HttpRequest,
    year: int,
    month: int | None = None,
    day: int | None = None,
    kind: str = "rss",
) -> HttpResponse:
    """`/<yyyy>/feed/`, `/<yyyy>/<mm>/feed/`, `/<yyyy>/<mm>/<dd>/feed/`: 404 where the
    archive is (an impossible date, or nothing published then)."""
    try:
        when = date(year, month or 1, day or 1)
    except ValueError:
        raise Http404("No such date.") from None
    posts = Post.objects.published().filter(published_at__year=year)
    path, name = f"/{year}/", f"Year: {year}"
    if month:
        posts = posts.filter(published_at__month=month)
        path, name = f"/{year}/{month:02d}/", f"Month: {when:%B %Y}"
    if day:
        posts = posts.filter(published_at__day=day)
        path, name = f"/{year}/{month:02d}/{day:02d}/", f"Day: {when:%B} {day}, {year}"
    if not posts.exists():
        raise Http404("Nothing was published then.")
    return posts_feed(request, kind, posts, path=path, name=name)
