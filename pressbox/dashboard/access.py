"""Who may enter the dashboard, and a decorator for its views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from pressbox.accounts.models import User
from pressbox.accounts.roles import role_of

View = Callable[..., HttpResponse]


def current_user(request: HttpRequest) -> User:
    """The signed-in user of a dashboard request (dashboard_view has checked it)."""
    user = request.user
    assert isinstance(user, User)
    return user


def dashboard_view(view: View | None = None, *, permission: str | None = None) -> Any:
    """Signed-in people with a role only (and `permission`, when given); never cached.

    Anonymous visitors go to the login page; a signed-in person without the role or
    permission gets the 403 page, so a link shared by mistake shows nothing.
    """

    def decorate(func: View) -> View:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not isinstance(user, User) or role_of(user) is None:
                raise PermissionDenied("You have no role on this site.")
            if permission and not user.has_perm(permission):
                raise PermissionDenied("Your role does not allow this.")
            return func(request, *args, **kwargs)

        return never_cache(wrapper)

    return decorate(view) if view is not None else decorate
