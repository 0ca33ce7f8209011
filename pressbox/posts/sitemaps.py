"""Sitemaps: every public address a search engine should know, with when it last changed.

Sections: the home page, published posts, published pages, and the category, tag and
author archives that list at least one published post. An archive's lastmod is its
newest post's change (`updated_at`, or `published_at` for a scheduled post that went
live later), computed for all archives at once by one aggregate over
`Post.objects.published()`, so the sitemap costs the same few queries whatever the size
of the site (tests pin the count).

`/sitemap.xml` holds every URL while they fit in one file (`SiteSitemap.limit`, the
protocol's 50,000). Past that it becomes a sitemap index naming numbered files,
`/sitemap-<section>-<n>.xml` (`/sitemap-posts-1.xml`, `/sitemap-posts-2.xml`, …), which
always answer. URLs are absolute on `settings.SITE_URL`, never on the request's host, so
a sitemap is right behind a proxy. The views are in `pressbox.posts.views.seo`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.db.models.functions import Greatest
from django.urls import reverse

from pressbox.posts.models import Category, Page, Post, SiteSettings

# When a post last changed for a reader: edited, or (scheduled) went live.
CHANGED = Greatest("updated_at", "published_at")


def newest(posts: QuerySet[Post]) -> datetime | None:
    return posts.aggregate(newest=Max(CHANGED))["newest"]


class SiteSitemap(Sitemap):
    """A section: absolute URLs on SITE_URL, and one paginator (one count) per request."""

    limit = 50_000

    def items(self) -> Sequence[Any] | QuerySet[Any]:
        return []

    @cached_property
    def paginator(self) -> Paginator:  # type: ignore[override]
        return Paginator(self.items(), self.limit)

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site: Any = None) -> str:
        # With the path of a base URL (a static export under /blog/), if it has one.
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path.rstrip("/")

    def get_latest_lastmod(self) -> datetime | None:
        return None


class HomeSitemap(SiteSitemap):
    def items(self) -> list[str]:
        return ["posts:home"]

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str) -> datetime | None:
        return self.get_latest_lastmod()

    @cached_property
    def _newest(self) -> datetime | None:
        return newest(Post.objects.published())

    def get_latest_lastmod(self) -> datetime | None:
        return self._newest


class PostSitemap(SiteSitemap):
    def items(self) -> QuerySet[Post]:
        return (
            Post.objects.published()
            .only("pk", "slug", "published_at", "created_at", "updated_at")
            .order_by("-published_at", "-pk")
        )

    @cached_property
    def structure(self) -> str:
        return SiteSettings.load().permalink_structure

    def location(self, item: Post) -> str:
        return item.permalink(self.structure)

    def lastmod(self, item: Post) -> datetime:
        assert item.published_at is not None  # published() lets no other post in
        return max(item.updated_at, item.published_at)

    def get_latest_lastmod(self) -> datetime | None:
        return newest(Post.objects.published())


class PageSitemap(SiteSitemap):
    def items(self) -> QuerySet[Page]:
        return (
            Page.objects.published()
            .only("pk", "slug", "published_at", "updated_at")
            .order_by("menu_order", "title", "pk")
        )

    def lastmod(self, item: Page) -> datetime:
        assert item.published_at is not None
        return max(item.updated_at, item.published_at)

    def get_latest_lastmod(self) -> datetime | None:
        return Page.objects.published().aggregate(newest=Max(CHANGED))["newest"]


@dataclass
class Archive:
    location: str
    lastmod: datetime


class CategorySitemap(SiteSitemap):
    """Categories whose archive lists a published post (a parent lists its children's)."""

    def items(self) -> list[Archive]:
        found = {c.pk: c for c in Category.objects.only("pk", "slug", "parent_id")}
        for category in found.values():  # the tree from this one query, no query per parent
            category.parent = found.get(category.parent_id)  # type: ignore[arg-type]
        latest: dict[int, datetime] = {}
        per_category = (
            Post.objects.published()
            .filter(categories__isnull=False)
            .values_list("categories")
            .annotate(newest=Max(CHANGED))
            .order_by()
        )
        for pk, when in per_category:
            for category in [*found[pk].ancestors(), found[pk]]:
                latest[category.pk] = max(when, latest.get(category.pk, when))
        archives = [Archive(found[pk].get_absolute_url(), when) for pk, when in latest.items()]
        return sorted(archives, key=lambda archive: archive.location)

    def location(self, item: Archive) -> str:
        return item.location

    def lastmod(self, item: Archive) -> datetime:
        return item.lastmod

    def get_latest_lastmod(self) -> datetime | None:
        return newest(Post.objects.published().filter(categories__isnull=False))


class TagSitemap(SiteSitemap):
    def items(self) -> QuerySet:
        return (
            Post.objects.published()
            .filter(tags__isnull=False)
            .values("tags__slug")
            .annotate(newest=Max(CHANGED))
            .order_by("tags__slug")
        )

    def location(self, item: dict[str, Any]) -> str:
        return reverse("posts:tag", kwargs={"slug": item["tags__slug"]})

    def lastmod(self, item: dict[str, Any]) -> datetime:
        return item["newest"]

    def get_latest_lastmod(self) -> datetime | None:
        return newest(Post.objects.published().filter(tags__isnull=False))


class AuthorSitemap(SiteSitemap):
    def items(self) -> QuerySet:
        return (
            Post.objects.published()
            .filter(post_authors__isnull=False)
            .values("post_authors__author__username")
            .annotate(newest=Max(CHANGED))
            .order_by("post_authors__author__username")
        )

    def location(self, item: dict[str, Any]) -> str:
        username = item["post_authors__author__username"]
        return reverse("posts:author", kwargs={"username": username})

    def lastmod(self, item: dict[str, Any]) -> datetime:
        return item["newest"]

    def get_latest_lastmod(self) -> datetime | None:
        return newest(Post.objects.published().filter(post_authors__isnull=False))


SECTIONS: dict[str, type[SiteSitemap]] = {
    "home": HomeSitemap,
    "posts": PostSitemap,
    "pages": PageSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
