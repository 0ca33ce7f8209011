"""What search engines and social sites read in a page's <head>.

`post_meta`, `page_meta` and `archive_meta` return a `PageMeta`: the canonical URL, the
meta description, the Open Graph and Twitter card fields, and the JSON-LD (schema.org)
as plain dicts. They build data only; `templates/posts/_seo.html` writes the tags, with
Django's autoescaping, and the `jsonld` filter (posts/templatetags/seo_tags.py) writes
the JSON-LD so that no text can close its <script>.

Every URL is absolute on `settings.SITE_URL`, so a page seen through a proxy, a feed
reader or a share card names the site's real address. Nothing here costs a query of
its own: the views already prefetch a post's authors (with profiles), categories (with
parents) and tags; a featured image is one query when the post has one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from pressbox.lib.markup import excerpt_from_html, html_to_text
from pressbox.posts.models import Category, Page, Post, SiteSettings

if TYPE_CHECKING:
    from pressbox.accounts.models import User
    from pressbox.media.models import Media

DESCRIPTION_CHARS = 160
SCHEMA = "https://schema.org"


def absolute(url: str) -> str:
    """`url` on the site's origin, unless it already names one (an avatar service)."""
    if not url or url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return f"{settings.SITE_URL.split(':', 1)[0]}:{url}"
    return f"{settings.SITE_URL}{url}"


def iso(value: datetime | None) -> str:
    """ISO 8601 with the offset, to the second, in the site's time zone."""
    if value is None:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def describe(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_CHARS)


@dataclass
class PageMeta:
    """One page's <head> data; empty fields are left out of the page."""

    title: str
    description: str
    url: str = ""  # canonical, absolute; empty for pages that must not be indexed
    og_type: str = "website"
    noindex: bool = False
    image: Media | None = None
    published: str = ""
    modified: str = ""
    author_urls: list[str] = field(default_factory=list)
    section: str = ""
    tags: list[str] = field(default_factory=list)
    jsonld: dict[str, Any] | None = None

    @property
    def image_url(self) -> str:
        return absolute(self.image.url) if self.image else ""

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image else "summary"


def author_url(user: User) -> str:
    return absolute(reverse("posts:author", kwargs={"username": user.username}))


def avatar(user: User) -> str:
    profile = getattr(user, "profile", None)
    return absolute(profile.avatar_url) if profile is not None else ""


def person(user: User) -> dict[str, Any]:
    data = {"@type": "Person", "name": user.display_name, "url": author_url(user)}
    if image := avatar(user):
        data["image"] = image
    return data


def publisher(site: SiteSettings) -> dict[str, Any]:
    return {"@type": "Organization", "name": site.title, "url": absolute("/")}


def image_object(media: Media) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "ImageObject", "url": absolute(media.url)}
    if media.width and media.height:
        data.update(width=media.width, height=media.height)
    if media.alt_text:
        data["caption"] = media.alt_text
    return data


def breadcrumbs(trail: list[tuple[str, str]]) -> dict[str, Any]:
    """A BreadcrumbList of (name, absolute url), first to last."""
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }


def post_trail(post: Post, categories: list[Category], site: SiteSettings) -> list[tuple[str, str]]:
    """Home, then the post's first category below its ancestors, then the post."""
    trail = [(site.title, absolute("/"))]
    if categories:
        first = categories[0]
        trail += [(c.name, absolute(c.get_absolute_url())) for c in [*first.ancestors(), first]]
    return [*trail, (post.title, absolute(post.get_absolute_url()))]


def post_meta(post: Post, *, url: str, authors: list[User]) -> PageMeta:
    """A post's page; `url` is the page's canonical path (a comment page has its own)."""
    site = SiteSettings.load()
    categories, tags = list(post.categories.all()), list(post.tags.all())
    image = post.featured_image if post.featured_image_id else None
    permalink = absolute(post.get_absolute_url())
    description = describe(post.seo_description or post.summary)
    posting: dict[str, Any] = {
        "@type": "BlogPosting",
        "headline": post.title,
        "description": description,
        "url": permalink,
        "mainEntityOfPage": {"@type": "WebPage", "@id": absolute(url)},
        "datePublished": iso(post.published_at),
        "dateModified": iso(post.updated_at),
        "wordCount": post.word_count,
        "author": [person(user) for user in authors],
        "publisher": publisher(site),
    }
    if post.published_at is None:  # a draft without a date, seen through its preview
        del posting["datePublished"]
    if image is not None:
        posting["image"] = image_object(image)
    if categories:
        posting["articleSection"] = [c.name for c in categories]
    if tags:
        posting["keywords"] = [t.name for t in tags]
    return PageMeta(
        title=post.title,
        description=description,
        url=absolute(url),
        og_type="article",
        noindex=not post.is_published(),  # a draft seen through its preview link
        image=image,
        published=iso(post.published_at),
        modified=iso(post.updated_at),
        author_urls=[author_url(user) for user in authors],
        section=categories[0].name if categories else "",
        tags=[t.name for t in tags],
        jsonld={
            "@context": SCHEMA,
            "@graph": [posting, breadcrumbs(post_trail(post, categories, site))],
        },
    )


def page_meta(page: Page) -> PageMeta:
    site = SiteSettings.load()
    url = absolute(page.get_absolute_url())
    description = describe(excerpt_from_html(page.body_html) or site.tagline)
    webpage = {
        "@context": SCHEMA,
        "@type": "WebPage",
        "name": page.title,
        "description": description,
        "url": url,
        "datePublished": iso(page.published_at),
        "dateModified": iso(page.updated_at),
        "isPartOf": {"@type": "WebSite", "name": site.title, "url": absolute("/")},
        "publisher": publisher(site),
    }
    return PageMeta(title=page.title, description=description, url=url, jsonld=webpage)


def web_site(site: SiteSettings) -> dict[str, Any]:
    """The home page: the site, and how to search it (`/?s=`)."""
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": site.title,
        "description": site.tagline,
        "url": absolute("/"),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": absolute("/?s={search_term_string}"),
            },
            "query-input": "required name=search_term_string",
        },
    }


def archive_meta(
    *,
    kind: str,
    base_path: str,
    page: int = 1,
    title: str = "",
    description: str = "",
    author: User | None = None,
) -> PageMeta:
    """A list: the home page, a category, tag, author or date archive, search results.

    Each page of a list is its own canonical address; search results are kept out of
    the index (they follow the links, though, to the posts they list).
    """
    site = SiteSettings.load()
    if author is not None and not description:
        profile = getattr(author, "profile", None)
        description = html_to_text(profile.bio_html) if profile is not None else ""
    meta = PageMeta(
        title=title or site.title,
        description=describe(description or site.tagline),
        url=absolute(base_path + (f"page/{page}/" if page > 1 else "")),
    )
    if kind == "search":
        meta.url, meta.noindex = "", True
    elif kind == "home" and page == 1:
        meta.jsonld = web_site(site)
    return meta
