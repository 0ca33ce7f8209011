"""The post (or page) a permalink names, read through prepared querysets.

The same rows `post_queryset()` loads (the post with its featured image, its co-authors
with their profiles, its categories with their parents, its tags), with queries
compiled once per process rather than once per request (pressbox.lib.prepared): Django's
query compiler took longer than SQLite's answers on an uncached post page (issue 7).
The relations are handed to the post as prefetched results, so templates and
`pressbox.posts.seo` read them as before. The comments (`pressbox.comments.pages`) and
the previous and next posts (`pressbox.posts.navigation`) are prepared the same way.
"""

from __future__ import annotations

from django.utils import timezone

from pressbox.lib.prepared import Param, Prepared, attach
from pressbox.posts.models import Category, Page, Post, PostAuthor, Publishable, Tag


def _published(model: type[Publishable]):  # type: ignore[no-untyped-def]
    """`published()` with the moment left open (it is "now" when the query runs)."""
    return model.objects.filter(  # type: ignore[attr-defined]
        status__in=Publishable.LIVE, published_at__lte=Param("now", model, "published_at")
    )


POST_BY_SLUG: Prepared[Post] = Prepared(
    lambda: (
        _published(Post)
        .filter(slug=Param("slug", Post, "slug"))
        .select_related("featured_image")[:1]
    )
)
POST_BY_PK: Prepared[Post] = Prepared(
    lambda: _published(Post).filter(pk=Param("pk", Post, "id")).select_related("featured_image")[:1]
)
PAGE_BY_SLUG: Prepared[Page] = Prepared(
    lambda: _published(Page).filter(slug=Param("slug", Page, "slug"))[:1]
)
AUTHORS: Prepared[PostAuthor] = Prepared(
    lambda: PostAuthor.objects.filter(post=Param("post", PostAuthor, "post")).select_related(
        "author__profile"
    )
)
CATEGORIES: Prepared[Category] = Prepared(
    lambda: Category.objects.filter(posts=Param("post", Post, "id")).select_related("parent")
)
TAGS: Prepared[Tag] = Prepared(lambda: Tag.objects.filter(posts=Param("post", Post, "id")))


def published_post(*, slug: str | None = None, pk: int | None = None) -> Post | None:
    """The published post with this slug (or id), with everything its page shows: four
    queries, whatever the size of the site."""
    now = timezone.now()
    if slug is not None:
        post = POST_BY_SLUG.first(slug=slug, now=now)
    else:
        post = POST_BY_PK.first(pk=pk, now=now)
    if post is not None:
        attach(post, "post_authors", PostAuthor, AUTHORS.all(post=post.pk))
        attach(post, "categories", Category, CATEGORIES.all(post=post.pk))
        attach(post, "tags", Tag, TAGS.all(post=post.pk))
    return post


def published_page(slug: str) -> Page | None:
    return PAGE_BY_SLUG.first(slug=slug, now=timezone.now())
