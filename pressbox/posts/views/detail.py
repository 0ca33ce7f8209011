from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from django.db.models import Prefetch
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from pressbox.comments import pages
from pressbox.comments.forms import CommentForm
from pressbox.comments.models import Comment
from pressbox.posts import navigation
from pressbox.posts.models import Post, PostAuthor, SiteSettings
from pressbox.posts.views import reading


def post_queryset():
    """Published posts with everything the post page shows, in a fixed number of queries
    (the post page itself reads the same through `reading.published_post`)."""
    return (
        Post.objects.published()
        .select_related("featured_image")
        .prefetch_related(
            Prefetch(
                "post_authors",
                queryset=PostAuthor.objects.select_related("author__profile"),
            ),
            "categories__parent",
            "tags",
        )
    )


def render_post(
    request: HttpRequest,
    post: Post,
    *,
    form: CommentForm | None = None,
    status: int = 200,
    page: int = 1,
) -> HttpResponse:
    """The post with one page of its comments and the comment form.

    A form sent back with errors shows the comments page of the thread it replies to.
    """
    site = SiteSettings.load()
    held = pages.held_comment(
        post,
        comment_id=request.GET.get("unapproved", ""),
        token=request.GET.get("moderation-hash", ""),
    )
    replying_to = getattr(form, "cleaned_data", {}).get("parent")
    if isinstance(replying_to, Comment):
        page = pages.comment_pages([replying_to], site=site)[replying_to.pk]
    try:
        comments = pages.comment_page(post, number=page, site=site, held=held)
    except pages.PageNotFound:
        raise Http404("No such comment page.") from None
    if form is None:
        form = CommentForm(post=post, initial={"parent": request.GET.get("replytocom")})
    parent_id = str(form["parent"].value() or "")
    reply_to = next(
        (
            c
            for c in comments.comments
            if str(c.pk) == parent_id and c.status == Comment.Status.APPROVED
        ),
        None,
    )
    if reply_to is None and not form.is_bound:
        form = CommentForm(post=post)
    context = {
        "post": post,
        "authors": [pa.author for pa in post.post_authors.all()],
        "comment_page": comments,
        "threads": comments.threads,
        "comment_count": comments.comment_count,
        "comments_open": post.accepts_comments(),
        "form": form,
        "reply_to": reply_to,
        "previous_post": navigation.previous_post(post),
        "next_post": navigation.next_post(post),
        "related_posts": navigation.related_posts(post),
        "toc": post.table_of_contents(),
    }
    if export := getattr(request, "static_export", None):  # pressbox/exporters/static.py
        context["comment_feed"] = export.has_comment_feed(comments.comment_count)
    response = render(request, "posts/post_detail.html", context, status=status)
    if held is not None:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _canonical_or_render(request: HttpRequest, post: Post, comment_page: int = 1) -> HttpResponse:
    canonical = pages.page_url(post, comment_page)
    if request.path != unquote(canonical):  # reverse() escapes non-ASCII slugs; path doesn't
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(canonical + (f"?{query}" if query else ""))
    return render_post(request, post, page=comment_page)


def post_detail(
    request: HttpRequest, slug: str, comment_page: int = 1, **date_parts: Any
) -> HttpResponse:
    """Any permalink shape finds the post by slug; a wrong shape or date answers 301.

    `comment_page` comes from `<permalink>comment-page-<n>/`; page 1 answers 301 to the
    permalink itself, and a page past the last is a 404.
    """
    post = reading.published_post(slug=slug)
    if post is None:
        raise Http404("No post here.")
    return _canonical_or_render(request, post, comment_page)


def post_detail_numeric(request: HttpRequest, pk: int, comment_page: int = 1) -> HttpResponse:
    post = reading.published_post(pk=pk)
    if post is None:
        raise Http404("No post here.")
    return _canonical_or_render(request, post, comment_page)


def page_or_post(request: HttpRequest, slug: str, comment_page: int | None = None) -> HttpResponse:
    """/<slug>/ is a page; failing that, a post under the post-name permalink."""
    if comment_page is None:
        page = reading.published_page(slug)
        if page is not None:
            return render(request, "posts/page_detail.html", {"page": page})
    post = reading.published_post(slug=slug)
    if post is None:
        raise Http404("No page or post here.")
    return _canonical_or_render(request, post, comment_page or 1)
