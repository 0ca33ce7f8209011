"""Writing workflows on posts: save with an action, autosave, restore a revision.

The dashboard calls these, and so may importers and commands, so that every save
follows the same rules (issue 4):

- who may do what comes from `pressbox.posts.permissions` and is checked here too;
- every save bumps `Post.version` and keeps a `PostRevision`; a form that carries an
  older version gets `PostConflict` instead of overwriting someone else's save;
- a post that readers could see and whose address changes (slug or date) leaves a
  301 `Redirect` from each old address, and older redirects are re-pointed so that
  none chains;
- autosaves are revisions only: the live post never changes until someone saves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.text import slugify

from pressbox.accounts.models import User
from pressbox.media.models import Media
from pressbox.posts.models import (
    Category,
    Post,
    PostAuthor,
    PostRevision,
    Redirect,
    SiteSettings,
    Tag,
    unique_slug,
)
from pressbox.posts.permissions import can_edit_post, can_publish_post


class Action(models.TextChoices):
    SAVE = "save", "Save draft"  # pending and private posts keep their status
    SUBMIT = "submit", "Submit for review"
    PUBLISH = "publish", "Publish now"
    SCHEDULE = "schedule", "Schedule"
    UNPUBLISH = "unpublish", "Unpublish"
    UPDATE = "update", "Update"  # keeps the status; the date may change


PUBLISHING = {Action.PUBLISH, Action.SCHEDULE, Action.UNPUBLISH}


@dataclass(frozen=True, kw_only=True)
class PostData:
    """What a writer sends for one post, already validated by a form or a parser."""

    title: str
    body: str = ""
    slug: str = ""  # empty: derived from the title, or kept once the post was published
    excerpt: str = ""
    seo_description: str = ""
    authors: Sequence[User] = ()  # byline order; empty keeps the current ones (or the saver)
    categories: Sequence[Category] = ()
    new_category: str = ""  # created and added when given
    new_category_parent: Category | None = None
    tags: Sequence[str] = ()  # names; missing tags are created
    featured_image: Media | None = None
    comments_open: bool = True
    sticky: bool = False
    body_format: str = Post.Format.MARKDOWN
    published_at: datetime | None = None  # the schedule, a back-date, or a new date


class PostConflict(Exception):
    """Someone saved the post after the form was opened; nothing was written."""

    def __init__(self, current: Post, saved_by: User | None, saved_at: datetime) -> None:
        super().__init__(f"Post {current.pk} was saved again (version {current.version}).")
        self.current, self.saved_by, self.saved_at = current, saved_by, saved_at


class ActionError(ValueError):
    """The action does not apply to the post as it is (the dashboard never offers it)."""


def actions_for(user: User, post: Post) -> list[Action]:
    """The actions `user` may take on `post` now, the safest first."""
    if post.pk is None and not user.has_perm("posts.add_post"):
        return []
    if not can_edit_post(user, post):
        return []
    if post.status in Post.LIVE:
        waiting = post.status == Post.Status.SCHEDULED and not post.is_published()
        return [Action.UPDATE, *([Action.PUBLISH] if waiting else []), Action.UNPUBLISH]
    if can_publish_post(user, post):
        return [Action.SAVE, Action.SCHEDULE, Action.PUBLISH]
    return [Action.SAVE, Action.SUBMIT]


def post_save(
    *,
    post: Post,
    data: PostData,
    by: User,
    action: Action,
    base_version: int | None = None,
) -> Post:
    """Apply `data` and `action` to `post` (new or saved) and keep a revision.

    `base_version` is the version the writer's form was opened at: when the stored
    post has moved on, PostConflict is raised and nothing changes. Pass None to skip
    the check (imports).
    """
    if post.pk is not None and base_version not in (None, post.version):
        raise _conflict(post)  # before the checks: the post may have changed status too
    if action not in actions_for(by, post):
        if action not in Action.values or not can_edit_post(by, post):
            raise PermissionDenied("You may not edit this post.")
        if action in PUBLISHING and not can_publish_post(by, post):
            raise PermissionDenied("Your role does not allow publishing.")
        raise ActionError(f"{Action(action).label} does not apply to a {post.status} post.")
    with transaction.atomic():
        before = _lock(post, base_version)
        _apply(post, data, action, before=before)
        _commit(post, before=before, by=by, kind=PostRevision.Kind.SAVE)
        _set_relations(post, data, by=by)
    return post


def post_revision_restore(*, post: Post, revision: PostRevision, by: User) -> PostRevision:
    """Put `revision`'s text back on the post; the restore is itself a new revision."""
    if revision.post_id != post.pk or not can_edit_post(by, post):
        raise PermissionDenied("You may not edit this post.")
    with transaction.atomic():
        before = _lock(post, None)
        for name in ("title", "body", "excerpt", "seo_description"):
            setattr(post, name, getattr(revision, name))
        taken = Post.objects.filter(slug=revision.slug).exclude(pk=post.pk).exists()
        if revision.slug and not taken:
            post.slug = revision.slug
        return _commit(post, before=before, by=by, kind=PostRevision.Kind.RESTORE)


def post_autosave(*, post: Post, data: PostData, by: User) -> PostRevision:
    """Keep the text being written as an autosave revision; the post itself stays.

    One autosave per person is kept since the last save, refreshed each time, so the
    history holds saves plus the latest unsaved text rather than one row every 5 s.
    """
    if not can_edit_post(by, post):
        raise PermissionDenied("You may not edit this post.")
    text = {name: getattr(data, name) for name in PostRevision.FIELDS}
    text["slug"] = text["slug"] or post.slug  # an empty slug field means "as it is"
    latest = post.revisions.first()
    if latest is not None and latest.kind == PostRevision.Kind.AUTOSAVE and latest.by_id == by.pk:
        for name, value in text.items():
            setattr(latest, name, value)
        latest.created_at = timezone.now()
        latest.save()
        return latest
    return PostRevision.objects.create(post=post, kind=PostRevision.Kind.AUTOSAVE, by=by, **text)


def newer_autosave(*, post: Post, by: User) -> PostRevision | None:
    """`by`'s autosave when it is newer than the post's last save and differs from it."""
    latest = post.revisions.first()
    if latest is None or latest.kind != PostRevision.Kind.AUTOSAVE or latest.by_id != by.pk:
        return None
    if all(getattr(post, name) == value for name, value in latest.fields().items()):
        return None
    return latest


def last_save(post: Post) -> PostRevision | None:
    """The latest revision that changed the post (a save or a restore)."""
    return post.revisions.exclude(kind=PostRevision.Kind.AUTOSAVE).select_related("by").first()


def public_paths(post: Post) -> set[str]:
    """Every address the post answers at under the slug-bearing permalink structures.

    Old links may use any structure the site had, so each one gets its redirect.
    """
    shapes = SiteSettings.Permalink
    structures = (shapes.DAY_AND_NAME, shapes.MONTH_AND_NAME, shapes.POST_NAME)
    return {unquote(post.permalink(structure)) for structure in structures}


def redirects_leave(*, old_paths: set[str], post: Post) -> None:
    """301 from each old path to the post's address, re-pointing older redirects so
    that none chains, and dropping any that an address of the post now answers."""
    new_path = post.get_absolute_url()
    Redirect.objects.filter(old_path__in=public_paths(post) | {unquote(new_path)}).delete()
    pointing_at_old = old_paths | {iri_to_uri(path) for path in old_paths}
    Redirect.objects.filter(new_path__in=pointing_at_old).update(new_path=new_path)
    for old in old_paths - public_paths(post):
        Redirect.objects.update_or_create(old_path=old, defaults={"new_path": new_path})


# Internals ---------------------------------------------------------------------------


def _lock(post: Post, base_version: int | None) -> Post | None:
    """The stored post, locked for this transaction; None for a new post."""
    if post.pk is None:
        return None
    stored = Post.objects.select_for_update().get(pk=post.pk)
    if base_version is not None and stored.version != base_version:
        raise _conflict(stored)
    return stored


def _conflict(stored: Post) -> PostConflict:
    saved = last_save(stored)
    if saved is None:
        return PostConflict(stored, None, stored.updated_at)
    return PostConflict(stored, saved.by, saved.created_at)


def _apply(post: Post, data: PostData, action: Action, *, before: Post | None) -> None:
    post.title, post.body, post.excerpt = data.title, data.body, data.excerpt
    post.seo_description, post.comments_open = data.seo_description, data.comments_open
    post.featured_image, post.sticky = data.featured_image, data.sticky
    post.body_format = data.body_format
    if data.slug:
        post.slug = data.slug
    elif before is None or before.published_at is None:
        post.slug = unique_slug(Post, data.title, exclude_pk=post.pk)
    now = timezone.now()
    if action == Action.SAVE:
        keep = (Post.Status.PENDING, Post.Status.PRIVATE)
        post.status = post.status if post.status in keep else Post.Status.DRAFT
    elif action == Action.SUBMIT:
        post.status = Post.Status.PENDING
    elif action == Action.PUBLISH:
        post.status = Post.Status.PUBLISHED
        backdated = data.published_at is not None and data.published_at <= now
        post.published_at = data.published_at if backdated else now
    elif action == Action.SCHEDULE:
        if data.published_at is None or data.published_at <= now:
            raise ActionError("A post is scheduled for a time in the future.")
        post.status, post.published_at = Post.Status.SCHEDULED, data.published_at
    elif action == Action.UNPUBLISH:
        post.status = Post.Status.DRAFT
    elif action == Action.UPDATE and data.published_at is not None:
        post.published_at = data.published_at


def _commit(post: Post, *, before: Post | None, by: User, kind: str) -> PostRevision:
    """Bump the version, save, leave redirects, keep the revision."""
    post.version = (before.version if before else 0) + 1
    post.save()
    if before is not None and before.is_published() and post.is_published():
        old = public_paths(before)
        if old != public_paths(post):
            redirects_leave(old_paths=old, post=post)
    text = {name: getattr(post, name) for name in PostRevision.FIELDS}
    return PostRevision.objects.create(post=post, kind=kind, by=by, **text)


def _set_relations(post: Post, data: PostData, *, by: User) -> None:
    authors = list(dict.fromkeys(data.authors))
    current = [pa.author for pa in post.post_authors.select_related("author")]
    if not authors:
        authors = current or [by]
    if authors != current:
        post.post_authors.all().delete()
        PostAuthor.objects.bulk_create(
            PostAuthor(post=post, author=person, position=n) for n, person in enumerate(authors)
        )
    categories = list(data.categories)
    if data.new_category.strip():
        if not by.has_perm("posts.add_category"):
            raise PermissionDenied("Your role does not allow adding categories.")
        categories.append(_category(data.new_category.strip(), data.new_category_parent))
    post.categories.set(categories)
    post.tags.set([_tag(name) for name in data.tags])


def _category(name: str, parent: Category | None) -> Category:
    found = Category.objects.filter(name__iexact=name, parent=parent).first()
    return found or Category.objects.create(name=name, parent=parent)


def _tag(name: str) -> Tag:
    found = Tag.objects.filter(name__iexact=name).first()
    if found is not None:
        return found
    tag, _ = Tag.objects.get_or_create(
        slug=slugify(name, allow_unicode=True) or unique_slug(Tag, name),
        defaults={"name": name},
    )
    return tag
