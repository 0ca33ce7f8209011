from __future__ import annotations

import calendar
from datetime import date
from typing import Any
from urllib.parse import unquote

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render

from pressbox.accounts.models import User
from pressbox.comments.models import Comment
from pressbox.posts.models import Category, Page, Post, PostAuthor, SiteSettings, Tag


def listed_posts() -> QuerySet[Post]:
    """Published posts with what a list shows (authors, categories, comment count)."""
    return (
        Post.objects.published()
        .defer("body", "body_html")
        .annotate(
            approved_comments=Count("comments", filter=Q(comments__status=Comment.Status.APPROVED))
        )
        .prefetch_related(
            Prefetch("post_authors", queryset=PostAuthor.objects.select_related("author__profile")),
            "categories__parent",
        )
        # Meta.ordering is not applied to aggregated queries; order explicitly.
        .order_by("-published_at", "-pk")
    )


def archive(
    request: HttpRequest,
    posts: QuerySet[Post],
    *,
    base_path: str,
    page: int = 1,
    **context: Any,
) -> HttpResponse:
    """One paginated list page; `/page/1/` answers 301 to the list, pages past the end 404."""
    match = request.resolver_match
    if page == 1 and match is not None and (match.url_name or "").endswith("-page"):
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(base_path + (f"?{query}" if query else ""))
    paginator = Paginator(posts, SiteSettings.load().posts_per_page, allow_empty_first_page=True)
    try:
        page_obj = paginator.page(page)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page.") from None
    context.update(
        posts=page_obj.object_list,
        page_obj=page_obj,
        base_path=base_path,
        is_paginated=paginator.num_pages > 1,
    )
    return render(request, "posts/post_archive.html", context)


def home(request: HttpRequest, page: int = 1) -> HttpResponse:
    if shortlink := shortlink_target(request):
        return HttpResponsePermanentRedirect(shortlink)
    query = request.GET.get("s")
    if query is not None:
        return search(request, query, page)
    return archive(request, listed_posts(), base_path="/", page=page, archive_kind="home")


def shortlink_target(request: HttpRequest) -> str | None:
    """WordPress's `/?p=<id>` and `/?page_id=<id>` shortlinks: the item's address, if any.

    An imported item answers to its WordPress id (`import_ref` "wxr:<id>"), anything
    else to its own id.
    """
    for param, model in (("p", Post), ("page_id", Page)):
        raw = request.GET.get(param, "")
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
            continue
        published = model.objects.published()
        found = published.filter(import_ref=f"wxr:{raw}").first()
        if found is None:
            found = published.filter(pk=int(raw)).first()
        if found is None:
            raise Http404("No such post.")
        return found.get_absolute_url()
    return None


def search(request: HttpRequest, query: str, page: int) -> HttpResponse:
    """Plain substring search; issue 5 brings ranked full-text search."""
    query = query.replace("\x00", "").strip()[:200]
    posts = listed_posts().none()
    if query:
        posts = listed_posts().filter(Q(title__icontains=query) | Q(body__icontains=query))
    return archive(
        request,
        posts,
        base_path="/",
        page=page,
        archive_kind="search",
        archive_title=f"Search results for “{query}”",
        query=query,
    )


def category(request: HttpRequest, path: str, page: int = 1) -> HttpResponse:
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    cat = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    canonical = cat.get_absolute_url()
    if f"/category/{path}/" != unquote(canonical):
        # /category/child/ or a wrong parent: one address per category, as WordPress does.
        return HttpResponsePermanentRedirect(canonical + (f"page/{page}/" if page > 1 else ""))
    posts = listed_posts().filter(categories__in=cat.descendant_ids()).distinct()
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
        listed_posts().filter(tags=found),
        base_path=found.get_absolute_url(),
        page=page,
        archive_kind="tag",
        archive_title=found.name,
        archive_label="Tag",
    )


def author(request: HttpRequest, username: str, page: int = 1) -> HttpResponse:
    person = get_object_or_404(User.objects.select_related("profile"), username=username)
    posts = listed_posts().filter(post_authors__author=person)
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


def date_archive(
    request: HttpRequest, year: int, month: int | None = None, day: int | None = None, page: int = 1
) -> HttpResponse:
    try:
        when = date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        raise Http404("No such date.") from None
    posts = listed_posts().filter(published_at__year=year)
    base, title, label = f"/{year}/", str(year), "Year"
    if month:
        posts = posts.filter(published_at__month=month)
        base, title, label = f"/{year}/{month:02d}/", when.strftime("%B %Y"), "Month"
    if day:
        posts = posts.filter(published_at__day=day)
        base, title, label = f"/{year}/{month:02d}/{day:02d}/", when.strftime("%B %-d, %Y"), "Day"
    if month and not 1 <= month <= 12 or day and day > calendar.monthrange(year, month or 1)[1]:
        raise Http404("No such date.")
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
