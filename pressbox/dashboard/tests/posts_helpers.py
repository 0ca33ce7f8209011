"""A cast for the posts section's tests: one person per role, signed in on demand."""

from __future__ import annotations

from pressbox.accounts.factories import AuthorProfileFactory
from pressbox.accounts.models import User
from pressbox.accounts.roles import role_assign

ROLES = ["contributor", "author", "editor", "administrator"]


def person(role: str, username: str | None = None) -> User:
    """A user holding `role` (named after it unless told), with an author profile."""
    user = AuthorProfileFactory(user__username=username or role).user
    role_assign(user=user, role=role)
    return user


def sign_in(client, role: str, username: str | None = None) -> User:
    user = person(role, username)
    client.force_login(user)
    return user


def form_data(**changes) -> dict:
    """What the editor form sends for a plain new post, with `changes` on top."""
    data = {
        "title": "Deadlift cues",
        "slug": "",
        "body": "Brace, then *push the floor away*.",
        "excerpt": "",
        "seo_description": "",
        "authors": "",
        "tags": "",
        "published_at": "",
        "comments_open": "on",
        "version": "0",
        "action": "save",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
