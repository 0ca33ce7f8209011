"""The published site, read once for a static export (pressbox/exporters/static.py).

The live site answers one address at a time and pays its queries on every page; an
export wants every page at once. So it reads, in a few queries up front, what the lists
and the post pages show around a post: every published post in its list form (authors,
categories, comment count), the posts' tags, the categories, tags, authors and months
that have an archive, which posts have approved comments, and the commenters' avatars.
From that it works out in memory what each view would ask the database: the posts of
each archive, in the list's order; a post's previous, next and related posts.

Each answer is the view's own (`pressbox.posts.views.archives`, `pressbox.posts.navigation`),
worked out the same way: tests compare every exported page with what the view renders.
Nothing here writes to the database or the cache.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from pressbox.accounts.models import User
from pressbox.comments.models import Comment
from pressbox.lib.avatars import avatar_url
from pressbox.lib.text import texturize
from pressbox.posts.feeds.posts import person as feed_person
from pressbox.posts.models import Category, Page, Post, SiteSettings, Tag
from pressbox.posts.navigation import RELATED_CANDIDATES, RELATED_COUNT, TAG_WEIGHT
from pressbox.posts.views.archives import listed_posts

CHUNK = 2000  # posts read per query (and per prefetch) while loading


@dataclass
class Archive:
    """A list with its pages and feeds: the home page, or a category, tag, author or
    date archive.

    `context` is what the archive's view adds to the list template (archive_kind,
    archive_title, …); `sticky` the posts pinned to the top of page 1 (home only).
    """

    base_path: str
    posts: list[Post]
    context: dict[str, Any]
    feed: dict[str, Any]  # what the archive's feed view passes to `posts_channel`
    sticky: list[Post] | None = None

    def num_pages(self, per_page: int) -> int:
        return Paginator(self.posts, per_page, allow_empty_first_page=True).num_pages

    def page_path(self, number: int) -> str:
        return self.base_path if number == 1 else f"{self.base_path}page/{number}/"


@dataclass
class PublishedSite:
    """Every published post newest first (list form), and what is worked out from them."""

    settings: SiteSettings
    posts: list[Post]
    tags_of: dict[int, frozenset[int]]
    archives: list[Archive] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    commented: frozenset[int] = frozenset()  # posts with approved comments
    avatars: list[str] = field(default_factory=list)  # avatar addresses the pages show

    def __post_init__(self) -> None:
        self.position = {post.pk: n for n, post in enumerate(self.posts)}
        self.categories_of = {
            post.pk: frozenset(c.pk for c in post.categories.all()) for post in self.posts
        }
        # Newest first, as positions in `posts`: the posts of each tag and category.
        self.tagged: dict[int, list[int]] = {}
        self.filed: dict[int, list[int]] = {}
        for n, post in enumerate(self.posts):
            for tag_id in self.tags_of.get(post.pk, ()):
                self.tagged.setdefault(tag_id, []).append(n)
            for category_id in self.categories_of[post.pk]:
                self.filed.setdefault(category_id, []).append(n)

    @classmethod
    def load(cls) -> PublishedSite:
        settings = SiteSettings.load()
        posts = list(listed_posts().iterator(chunk_size=CHUNK))
        published = Post.objects.published()
        tags_of: dict[int, set[int]] = {}
        for post_id, tag_id in Post.tags.through.objects.filter(post__in=published).values_list(
            "post_id", "tag_id"
        ):
            tags_of.setdefault(post_id, set()).add(tag_id)
        site = cls(settings, posts, {pk: frozenset(ids) for pk, ids in tags_of.items()})
        site.archives = [
            site.home(),
            *site.category_archives(),
            *site.tag_archives(),
            *site.author_archives(),
            *site.date_archives(),
        ]
        site.pages = list(Page.objects.published().order_by("menu_order", "title", "pk"))
        approved = Comment.objects.approved().filter(post__in=published)
        site.commented = frozenset(approved.values_list("post_id", flat=True).distinct())
        site.avatars = site.avatar_paths(approved)
        return site

    # Archives, as pressbox.posts.views.archives lists them -----------------------------

    def home(self) -> Archive:
        sticky = [post for post in self.posts if post.sticky]
        context = {"archive_kind": "home"}
        return Archive("/", self.posts, context, {"path": reverse("posts:home")}, sticky=sticky)

    def category_archives(self) -> list[Archive]:
        """Every category that lists a published post, its own or a descendant's (the
        categories the sitemap names)."""
        found = {c.pk: c for c in Category.objects.all()}
        for category in found.values():  # the tree in memory, as the sitemap builds it
            category.parent = found.get(category.parent_id)  # type: ignore[arg-type]
        listed: dict[int, list[Post]] = {}
        for post in self.posts:
            above = {
                node.pk
                for pk in self.categories_of[post.pk]
                for node in [*found[pk].ancestors(), found[pk]]
            }
            for pk in above:
                listed.setdefault(pk, []).append(post)
        archives = []
        for pk, posts in listed.items():
            category, path = found[pk], found[pk].get_absolute_url()
            context = {
                "archive_kind": "category",
                "archive_title": category.name,
                "archive_label": "Category",
                "archive_description": category.description,
            }
            feed = {
                "path": path,
                "name": f"Category: {texturize(category.name)}",
                "description": category.description,
            }
            archives.append(Archive(path, posts, context, feed))
        return sorted(archives, key=lambda archive: archive.base_path)

    def tag_archives(self) -> list[Archive]:
        tags = Tag.objects.filter(pk__in=self.tagged).order_by("slug")
        return [
            Archive(
                tag.get_absolute_url(),
                [self.posts[n] for n in self.tagged[tag.pk]],
                {"archive_kind": "tag", "archive_title": tag.name, "archive_label": "Tag"},
                {"path": tag.get_absolute_url(), "name": f"Tag: {texturize(tag.name)}"},
            )
            for tag in tags
        ]

    def author_archives(self) -> list[Archive]:
        people: dict[int, User] = {}
        listed: dict[int, list[Post]] = {}
        for post in self.posts:
            for byline in post.post_authors.all():
                people.setdefault(byline.author_id, byline.author)
                listed.setdefault(byline.author_id, []).append(post)
        archives = []
        for user in sorted(people.values(), key=lambda person: person.username):
            context = {
                "archive_kind": "author",
                "archive_title": user.display_name,
                "archive_label": "Author",
                "author": user,
            }
            by = feed_person(user)
            feed = {
                "path": reverse("posts:author", kwargs={"username": user.username}),
                "name": f"Author: {by.name}",
                "author": by,
            }
            archives.append(Archive(f"/author/{user.username}/", listed[user.pk], context, feed))
        return archives

    def date_archives(self) -> list[Archive]:
        """The year and month archives, in the site's time zone; day archives are left
        out, as nothing links to them."""
        years: dict[int, list[Post]] = {}
        months: dict[tuple[int, int], list[Post]] = {}
        for post in self.posts:
            when = timezone.localtime(post.published_at)
            years.setdefault(when.year, []).append(post)
            months.setdefault((when.year, when.month), []).append(post)
        found = [
            _date_archive(f"/{year}/", posts, str(year), "Year")
            for year, posts in sorted(years.items())
        ]
        found += [
            _date_archive(f"/{year}/{month:02d}/", posts, f"{date(year, month, 1):%B %Y}", "Month")
            for (year, month), posts in sorted(months.items())
        ]
        return found

    # Around a post, as pressbox.posts.navigation finds it ---------------------------

    def previous_post(self, post: Post) -> Post | None:
        n = self.position[post.pk] + 1
        return self.posts[n] if n < len(self.posts) else None

    def next_post(self, post: Post) -> Post | None:
        n = self.position[post.pk] - 1
        return self.posts[n] if n >= 0 else None

    def related_posts(self, post: Post) -> list[Post]:
        """`navigation.related_posts`: among the newest `RELATED_CANDIDATES` posts that
        share a tag or a category, the best scored, newest first among equals.

        The post's tag and category lists, merged newest first, name each candidate once
        per list it is in, so its score adds up as the merge goes by.
        """
        own = self.position[post.pk]
        lists = [((n, TAG_WEIGHT) for n in self.tagged[pk]) for pk in self.tags_of.get(post.pk, ())]
        lists += [((n, 1) for n in self.filed[pk]) for pk in self.categories_of[post.pk]]
        scored: list[tuple[int, int]] = []
        for n, shares in groupby(heapq.merge(*lists), key=itemgetter(0)):
            if n != own:
                scored.append((-sum(weight for _, weight in shares), n))
                if len(scored) == RELATED_CANDIDATES:
                    break
        return [self.posts[n] for _, n in sorted(scored)[:RELATED_COUNT]]

    # Avatars ------------------------------------------------------------------------

    def avatar_paths(self, approved: QuerySet[Comment]) -> list[str]:
        """The site's own avatar addresses the pages show: the authors' (unless they
        uploaded one) and the commenters'; an avatar service's are not the site's."""
        service = self.settings.avatar_service
        found = {
            avatar_url(email, key=key, service=service)
            for email, key in approved.values_list("author_email", "avatar_key").distinct()
        }
        authors = {b.author_id: b.author for post in self.posts for b in post.post_authors.all()}
        for person in authors.values():
            profile = getattr(person, "profile", None)
            if profile is not None:
                found.add(profile.avatar_url)
        return sorted(url for url in found if url.startswith("/avatar/"))


def _date_archive(path: str, posts: list[Post], title: str, label: str) -> Archive:
    context = {"archive_kind": "date", "archive_title": title, "archive_label": label}
    return Archive(path, posts, context, {"path": path, "name": f"{label}: {title}"})
