from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import unquote

from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import cached_property

from pressbox import search as full_text
from pressbox.accounts.models import User
from pressbox.comments.models import Comment
from pressbox.lib import pagecache
from pressbox.posts.legacy_queries import legacy_target
from pressbox.posts.models import Category, Post, PostAuthor, SiteSettings, Tag

COUNT_CACHE_SECONDS = 24 * 3600


def listed_posts() -> QuerySet[Post]:
    """Published posts with what a list shows (authors, categories, comment count)."""
    approved_counts = (
        Comment.objects.approved()
        .filter(post=OuterRef("pk"))
        .order_by()
        .values("post")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Post.objects.published()
        .defer("body", "body_html")
        # A correlated count per listed post, not a join grouped over every post: the
        # list then walks the (published_at, id) index and stops after one page.
        .annotate(approved_comments=Coalesce(Subquery(approved_counts), 0))
        .prefetch_related(
            Prefetch("post_authors", queryset=PostAuthor.objects.select_related("author__profile")),
            "categories__parent",
        )
        .order_by("-published_at", "-pk")
    )


class CachedCountPaginator(Paginator):
    """A paginator whose total is counted once per change of the site.

    Counting a list is the one part of a list page that grows with the site (every
    matching row is visited); the total is kept under the page cache's generation,
    which moves whenever anything published changes, so it is never stale.
    """

    def __init__(self, *args: Any, count_key: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        key = f"{self.count_key}:{pagecache.current_generation()}"
        found = cache.get(key)
        if found is None:
            found = super().count
            cache.set(key, found, COUNT_CACHE_SECONDS)
        return int(found)


def archive(
    request: HttpRequest,
    posts: QuerySet[Post],
    *,
    base_path: str,
    page: int = 1,
    sticky: QuerySet[Post] | None = None,
    **context: Any,
) -> HttpResponse:
    """One paginated list page; `/page/1/` answers 301 to the list, pages past the end 404.

    `sticky` posts, when given, come first on page 1.
    """
    match = request.resolver_match
    if page == 1 and match is not None and (match.url_name or "").endswith("-page"):
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(base_path + (f"?{query}" if query else ""))
    paginator = CachedCountPaginator(
        posts,
        SiteSettings.load().posts_per_page,
        allow_empty_first_page=True,
        count_key=f"archive-count:{base_path}",
    )
    try:
        page_obj = paginator.page(page)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page.") from None
    listed = list(page_obj.object_list)
    if sticky is not None and page == 1:
        # As WordPress does: sticky posts head the first page, out of their place in it.
        pinned = list(sticky)
        pinned_ids = {post.pk for post in pinned}
        listed = pinned + [post for post in listed if post.pk not in pinned_ids]
    context.update(
        posts=listed,
        page_obj=page_obj,
        base_path=base_path,
        is_paginated=paginator.num_pages > 1,
    )
    return render(request, "posts/post_archive.html", context)


def home(request: HttpRequest, page: int = 1) -> HttpResponse:
    if target := legacy_target(request):
        return HttpResponsePermanentRedirect(target)
    query = request.GET.get("s")
    if query is not None:
        return search(request, query, page)
    return archive(
        request,
        listed_posts(),
        base_path="/",
        page=page,
        sticky=listed_posts().filter(sticky=True),
        archive_kind="home",
    )


def search(request: HttpRequest, query: str, page: int) -> HttpResponse:
    """Full-text search (pressbox.search): posts by relevance, each with a highlighted
    snippet, paginated like the other lists; `/page/1/?s=…` answers 301 to `/?s=…`."""
    match = request.resolver_match
    if page == 1 and match is not None and (match.url_name or "").endswith("-page"):
        return HttpResponsePermanentRedirect("/?" + request.META.get("QUERY_STRING", ""))
    parsed = full_text.parse(query)
    per_page = SiteSettings.load().posts_per_page
    found = full_text.search(parsed, offset=(page - 1) * per_page, limit=per_page)
    try:
        page_obj = Paginator(range(found.total), per_page).page(page)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page.") from None
    # Unordered: the hits give the order, and a sort would walk the date index.
    posts = listed_posts().filter(pk__in=[hit.post_id for hit in found.hits]).order_by().in_bulk()
    return render(
        request,
        "posts/search_results.html",
        {
            "results": [
                {"post": posts[hit.post_id], "snippet": hit.snippet}
                for hit in found.hits
                if hit.post_id in posts
            ],
            "total": found.total,
            "more": found.more,
            "page_obj": page_obj,
            "is_paginated": page_obj.paginator.num_pages > 1,
            "base_path": "/",
            "archive_kind": "search",
            "archive_title": f"Search results for “{parsed.text}”",
            "query": parsed.text,
        },
    )


def category(request: HttpRequest, path: str, page: int = 1) -> HttpResponse:
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    cat = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    canonical = cat.get_absolute_url()
    if f"/category/{path}/" != unquote(canonical):
        # /category/child/ or a wrong parent: one address per category, as WordPress does.
        return HttpResponsePermanentRedirect(canonical + (f"page/{page}/" if page > 1 else ""))
    filed = Post.categories.through.objects.filter(
        post_id=OuterRef("pk"), category_id__in=cat.descendant_ids()
    )
    posts = listed_posts().filter(Exists(filed))
    return archive(
        request,
        posts,
        base_path=canonical,
        page=page,
        archive_kind="category",
        archive_title=cat.name,
        archive_label="Category",
        archive_description=cat.description,
    )


def tag(request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
    found = get_object_or_404(Tag, slug=slug)
    return archive(
        request,
        listed_posts().filter(
            Exists(Post.tags.through.objects.filter(post_id=OuterRef("pk"), tag_id=found.pk))
        ),
        base_path=found.get_absolute_url(),
        page=page,
        archive_kind="tag",
        archive_title=found.name,
        archive_label="Tag",
    )


def author(request: HttpRequest, username: str, page: int = 1) -> HttpResponse:
    person = get_object_or_404(User.objects.select_related("profile"), username=username)
    written = PostAuthor.objects.filter(post_id=OuterRef("pk"), author_id=person.pk)
    posts = listed_posts().filter(Exists(written))
    if not hasattr(person, "profile") and not posts.exists():
        raise Http404("No such author.")
    return archive(
        request,
        posts,
        base_path=f"/author/{person.username}/",
        page=page,
        archive_kind="author",
        archive_title=person.display_name,
        archive_label="Author",
        author=person,
    )


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def date_archive(
    request: HttpRequest, year: int, month: int | None = None, day: int | None = None, page: int = 1
) -> HttpResponse:
    try:
        when = date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        raise Http404("No such date.") from None
    if month and not 1 <= month <= 12 or day and day > calendar.monthrange(year, month or 1)[1]:
        raise Http404("No such date.")
    base, title, label = f"/{year}/", str(year), "Year"
    end = date(year + 1, 1, 1)
    if month:
        base, title, label = f"/{year}/{month:02d}/", when.strftime("%B %Y"), "Month"
        end = date(year + month // 12, month % 12 + 1, 1)
    if day:
        base, title, label = f"/{year}/{month:02d}/{day:02d}/", when.strftime("%B %-d, %Y"), "Day"
        end = when + timedelta(days=1)
    # A range in the site's time zone, not EXTRACT(): the (published_at, id) index
    # answers it.
    posts = listed_posts().filter(
        published_at__gte=local_midnight(when), published_at__lt=local_midnight(end)
    )
    if not posts.exists():
        raise Http404("Nothing was published then.")
    return archive(
        request,
        posts,
        base_path=base,
        page=page,
        archive_kind="date",
        archive_title=title,
        archive_label=label,
    )
