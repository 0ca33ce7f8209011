"""Account workflows shared by the dashboard, commands and importers.

`user_invite` is how every new writer arrives (the dashboard's Invite form, and the
WordPress importer for authors, issue 6): an account with no usable password and an
emailed link to choose one. The link is Django's password-reset token, so it lasts
PASSWORD_RESET_TIMEOUT (Django's default, 3 days) and stops working once used.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from pressbox.accounts.models import AuthorProfile, User
from pressbox.accounts.roles import Role, role_assign, role_of
from pressbox.lib.mail import queue_email
from pressbox.posts.models import SiteSettings


class AccountRuleError(Exception):
    """An account change the site's rules forbid; the message says why, to the person."""


def unique_username(email: str) -> str:
    """The email's local part as a username (`maya.k@…` -> `maya-k`), -2, -3… if taken."""
    base = slugify(re.sub(r"[.+]", "-", email.rpartition("@")[0]))[:140] or "writer"
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def user_invite(*, email: str, name: str, role: str, by: User | None) -> User:
    """Create an account for `email` with `role` and email it a link to choose a password."""
    if User.objects.filter(email__iexact=email).exists():
        raise AccountRuleError("Someone with this email address already has an account.")
    with transaction.atomic():
        user = User.objects.create_user(username=unique_username(email), email=email)
        AuthorProfile.objects.create(user=user, display_name=name)
        role_assign(user=user, role=role)
        invitation_send(user=user, by=by)
    return user


def invitation_send(*, user: User, by: User | None) -> None:
    """Queue (again) the invitation email; a new one makes the earlier links useless."""
    if user.has_usable_password():
        raise AccountRuleError(
            f"{user.display_name} has already chosen a password; they can use "
            "“Forgot your password?” on the login page."
        )
    user.set_unusable_password()  # a new random marker: tokens made before no longer match
    user.save(update_fields=["password"])
    path = reverse(
        "dashboard:invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    site = SiteSettings.load()
    context = {
        "user": user,
        "by": by,
        "site_title": site.title,
        "url": settings.SITE_URL + path,
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    queue_email(
        to=[user.email],
        subject=f"You are invited to write for {site.title}",
        text=render_to_string("dashboard/accounts/email/invitation.txt", context),
        kind="invitation",
    )


def _administrators() -> QuerySet[User]:
    return User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(groups__name=Role.ADMINISTRATOR.label)
    )


def _keep_an_administrator(user: User) -> None:
    """Refuse to take the last active administrator away (call inside a transaction)."""
    if not user.is_active or role_of(user) != Role.ADMINISTRATOR:
        return
    # Lock the administrators so two of them cannot demote each other at the same time.
    list(User.objects.select_for_update().filter(pk__in=_administrators().values("pk")))
    if _administrators().distinct().count() <= 1:
        raise AccountRuleError(
            f"{user.display_name} is the only administrator; make someone else an "
            "administrator first."
        )


def user_role_change(*, user: User, role: str, by: User) -> None:
    """Give `user` one role, keeping at least one active administrator on the site."""
    with transaction.atomic():
        if role != Role.ADMINISTRATOR:
            _keep_an_administrator(user)
            if user.is_superuser:  # otherwise they would stay an administrator
                user.is_superuser = False
                user.save(update_fields=["is_superuser"])
        role_assign(user=user, role=role)


def user_set_active(*, user: User, active: bool, by: User) -> None:
    """Let `user` sign in again, or stop them (their sessions end at their next request;
    their posts stay). Nobody deactivates themselves or the last administrator."""
    if not active and user.pk == by.pk:
        raise AccountRuleError("You cannot deactivate your own account.")
    with transaction.atomic():
        if not active:
            _keep_an_administrator(user)
        user.is_active = active
        user.save(update_fields=["is_active"])
