"""POST /dashboard/posts/preview/: the editor's text as the published page would show it.

The page comes from the public renderer and template (`render_post`) for an unsaved
Post built from the form, so the preview cannot drift from the real page. The post is
never saved: its relations are handed to the template ready-made, it has no comments,
and the page is sent with a CSP sandbox so its comment form and scripts stay inert
even when opened in a tab of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from pressbox.accounts.models import User
from pressbox.dashboard.access import current_user, dashboard_view
from pressbox.dashboard.views.posts.forms import PostForm
from pressbox.posts.models import Category, Post, PostAuthor, Tag
from pressbox.posts.services import PostData
from pressbox.posts.views.detail import render_post

M = TypeVar("M", bound=models.Model)
UNSAVED_PK = 0  # an id no row has: lets the template reach the relations given below


def _ready(model: type[M], objects: Iterable[M]) -> models.QuerySet[M]:
    """A queryset that yields `objects` without asking the database."""
    queryset = model._default_manager.none()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True  # type: ignore[attr-defined]
    return queryset


def preview_post(data: PostData, *, by: User) -> Post:
    """An unsaved, published-looking Post made of `data`."""
    slug = data.slug or slugify(data.title, allow_unicode=True) or "preview"
    post = Post(
        pk=UNSAVED_PK,
        title=data.title or "(no title)",
        slug=slug,
        body=data.body,
        body_format=data.body_format,
        excerpt=data.excerpt,
        seo_description=data.seo_description,
        comments_open=data.comments_open,
        sticky=data.sticky,
        featured_image=data.featured_image,
        status=Post.Status.PUBLISHED,
        published_at=data.published_at or timezone.now(),
    )
    post.derive_fields()
    authors = list(data.authors) or [by]
    categories = list(data.categories)
    if data.new_category.strip():
        name = data.new_category.strip()
        new_slug = slugify(name, allow_unicode=True) or "new-category"
        categories.append(Category(name=name, slug=new_slug, parent=data.new_category_parent))
    known = {tag.name.casefold(): tag for tag in Tag.objects.filter(name__in=data.tags)}
    tags = [
        known.get(name.casefold()) or Tag(name=name, slug=slugify(name, allow_unicode=True))
        for name in data.tags
    ]
    post._prefetched_objects_cache = {  # type: ignore[attr-defined]
        "post_authors": _ready(
            PostAuthor, (PostAuthor(post=post, author=a, position=n) for n, a in enumerate(authors))
        ),
        "categories": _ready(Category, categories),
        "tags": _ready(Tag, tags),
    }
    return post


@require_POST
@dashboard_view(permission="posts.change_post")
def post_preview(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = PostForm(request.POST, post=Post(), user=user)
    response = render_post(request, preview_post(form.preview_data(), by=user))
    response["Content-Security-Policy"] = "sandbox; form-action 'none'"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
