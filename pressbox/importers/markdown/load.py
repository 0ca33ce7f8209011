"""Write a checked content folder to the database, so that importing again updates.

Posts and pages are found by `import_ref` ("markdown:<slug>"), then by slug; users by
username; categories and tags by slug; redirects by their old path. What a file says
wins; what it leaves out (an author's email, a post's date) is kept from the row already
there. Call inside `transaction.atomic()`: `markdown_import` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import slugify

from pressbox.accounts.models import AuthorProfile, User
from pressbox.importers.markdown.images import avatar_store
from pressbox.importers.markdown.parse import (
    AuthorData,
    ContentError,
    ContentFolder,
    PageData,
    PostData,
)
from pressbox.posts.models import Category, Page, Post, PostAuthor, Redirect, Tag

Progress = Callable[[int, int, str], None]
"""Called after each file with (files done, files in all, the file's name)."""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass
class ImportSummary:
    posts_created: int = 0
    posts_updated: int = 0
    authors: int = 0
    pages: int = 0
    redirects: int = 0  # old addresses (Hugo aliases, Jekyll permalinks) answering 301

    def __str__(self) -> str:
        posts = self.posts_created + self.posts_updated
        redirects = f", {_plural(self.redirects, 'redirect')}" if self.redirects else ""
        return (
            f"Imported {_plural(posts, 'post')} ({self.posts_created} new, "
            f"{self.posts_updated} updated), {_plural(self.authors, 'author')}, "
            f"{_plural(self.pages, 'page')}{redirects}."
        )


def folder_load(folder: ContentFolder, *, progress: Progress | None = None) -> ImportSummary:
    """Write every author, post and page of `folder`; the summary counts them."""
    authors_check(folder)
    summary, done = ImportSummary(), 0

    def tick(source: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, folder.size, source)

    for author in folder.authors:
        author_load(author)
        summary.authors += 1
        tick(author.source)
    for post in folder.posts:
        if post_load(post):
            summary.posts_created += 1
        else:
            summary.posts_updated += 1
        summary.redirects += redirects_load(post.slug, Post, post.aliases)
        tick(post.source)
    for page in folder.pages:
        page_load(page)
        summary.pages += 1
        summary.redirects += redirects_load(page.slug, Page, page.aliases)
        tick(page.source)
    return summary


def authors_check(folder: ContentFolder) -> None:
    """Every author a post names has a file in authors/ or an account here already."""
    defined = {author.username for author in folder.authors}
    wanted = {name for post in folder.posts for name in post.authors} - defined
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    for post in folder.posts:
        for name in post.authors:
            if name not in defined and name not in existing:
                raise ContentError(
                    f"{post.source} names the author {name!r}, who has no "
                    f"authors/{name}.md file and no account on this site."
                )


def author_load(data: AuthorData) -> User:
    user, created = User.objects.get_or_create(username=data.username)
    if created:
        user.set_unusable_password()
    user.email = data.email or user.email
    user.save()
    profile, _ = AuthorProfile.objects.get_or_create(user=user)
    profile.display_name = data.name or profile.display_name
    profile.website = data.website or profile.website
    profile.bio = data.bio or profile.bio
    if data.avatar is not None:
        avatar_store(profile, data.avatar)
    profile.save()
    return user


def post_load(data: PostData) -> bool:
    """Create or update the post; True when it is new."""
    ref = f"markdown:{data.slug}"
    post = (
        Post.objects.filter(import_ref=ref).first() or Post.objects.filter(slug=data.slug).first()
    )
    created = post is None
    if post is None:
        post = Post()
    post.import_ref, post.slug, post.title = ref, data.slug, data.title
    post.body, post.excerpt, post.comments_open = data.body, data.excerpt, data.comments_open
    post.status = data.status
    post.seo_description = data.description or post.seo_description
    post.published_at = data.date or post.published_at
    post.updated_at = data.updated or post.published_at or post.updated_at
    post.save(touch=False)
    _set_authors(post, data.authors)
    post.categories.set([category_for_path(path) for path in data.categories])
    post.tags.set([tag_for_name(name) for name in data.tags])
    return created


def page_load(data: PageData) -> bool:
    """Create or update the page; True when it is new."""
    ref = f"markdown:{data.slug}"
    page = (
        Page.objects.filter(import_ref=ref).first() or Page.objects.filter(slug=data.slug).first()
    )
    created = page is None
    if page is None:
        page = Page()
    page.import_ref, page.slug, page.title = ref, data.slug, data.title
    page.body, page.status, page.menu_order = data.body, data.status, data.menu_order
    page.published_at = data.date or page.published_at
    page.updated_at = data.date or page.updated_at
    page.save(touch=False)
    return created


def redirects_load(slug: str, model: type[Post] | type[Page], old_paths: list[str]) -> int:
    """Each old path answers 301 to the item's address; how many do."""
    if not old_paths:
        return 0
    target = model.objects.get(slug=slug).get_absolute_url()
    count = 0
    for old in old_paths:
        if old.rstrip("/") == target.rstrip("/"):
            continue
        Redirect.objects.update_or_create(old_path=old, defaults={"new_path": target})
        count += 1
    return count


def category_for_path(path: str) -> Category:
    """The category at "Parent/Child", creating what is missing along the way."""
    parent: Category | None = None
    for name in (part.strip() for part in path.split("/")):
        category, created = Category.objects.get_or_create(
            slug=slugify(name, allow_unicode=True), defaults={"name": name, "parent": parent}
        )
        if not created and parent is not None and category.parent_id != parent.pk:
            category.parent = parent
            category.save(update_fields=["parent"])
        parent = category
    assert parent is not None  # parse.py rejects empty names
    return parent


def tag_for_name(name: str) -> Tag:
    tag, _ = Tag.objects.get_or_create(
        slug=slugify(name, allow_unicode=True), defaults={"name": name}
    )
    return tag


def _set_authors(post: Post, usernames: list[str]) -> None:
    """Co-authors in the file's order; rows are rewritten only when the order changed."""
    usernames = list(dict.fromkeys(usernames))
    current = list(post.post_authors.values_list("author__username", flat=True))
    if current == usernames:
        return
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    post.post_authors.all().delete()
    PostAuthor.objects.bulk_create(
        PostAuthor(post=post, author=users[name], position=position)
        for position, name in enumerate(usernames)
    )
