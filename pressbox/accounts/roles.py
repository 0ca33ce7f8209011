"""Roles as WordPress has them, kept as Django Groups.

administrator: everything, including users and site settings.
editor:        publishes and edits anyone's posts and pages, moderates comments.
author:        writes and publishes their own posts.
contributor:   writes their own posts and submits them for review.

The groups and their permissions are (re)made after every `migrate`, so a new
permission reaches each role without a hand-written data migration. What a person may
do to one particular post is decided in `pressbox.posts.permissions`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import models, transaction

from pressbox.accounts.models import User


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    EDITOR = "editor", "Editor"
    AUTHOR = "author", "Author"
    CONTRIBUTOR = "contributor", "Contributor"


CONTRIBUTOR = {
    "posts.view_post",
    "posts.add_post",
    "posts.change_post",
    "posts.view_category",
    "posts.view_tag",
    "posts.add_tag",
}
AUTHOR = CONTRIBUTOR | {"posts.publish_post", "posts.delete_post"}
EDITOR = AUTHOR | {
    "posts.edit_others_post",
    *(f"posts.{action}_{model}" for action in ("add", "change", "delete", "view")
      for model in ("category", "tag", "page", "redirect")),
    "comments.view_comment",
    "comments.change_comment",
    "comments.delete_comment",
}  # fmt: skip
ADMINISTRATOR = {"*"}  # every permission there is

ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.CONTRIBUTOR: CONTRIBUTOR,
    Role.AUTHOR: AUTHOR,
    Role.EDITOR: EDITOR,
    Role.ADMINISTRATOR: ADMINISTRATOR,
}
RANK = [Role.ADMINISTRATOR, Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR]


def _permissions(names: set[str]) -> list[Permission]:
    everything = Permission.objects.select_related("content_type")
    if "*" in names:
        return list(everything)
    wanted = {tuple(name.split(".", 1)) for name in names}
    return [p for p in everything if (p.content_type.app_label, p.codename) in wanted]


def sync_roles(**_: Any) -> None:
    """Make each role's group hold exactly its permissions (a post_migrate receiver)."""
    with transaction.atomic():
        for role, names in ROLE_PERMISSIONS.items():
            group, _created = Group.objects.get_or_create(name=role.label)
            group.permissions.set(_permissions(names))


def role_of(user: User) -> str | None:
    """The highest role a user holds (superusers are administrators).

    Uses `prefetch_related("groups")` when the caller did it, so lists cost no query a row.
    """
    if user.is_superuser:
        return Role.ADMINISTRATOR
    names = {group.name for group in user.groups.all()}
    return next((role for role in RANK if role.label in names), None)


def role_assign(*, user: User, role: str) -> None:
    """Give `user` exactly one role; editors and administrators may use /admin/."""
    role = Role(role)
    groups = Group.objects.filter(name__in=[r.label for r in Role])
    with transaction.atomic():
        user.groups.remove(*groups)
        user.groups.add(Group.objects.get(name=role.label))
        user.is_staff = role in (Role.ADMINISTRATOR, Role.EDITOR)
        user.save(update_fields=["is_staff"])
