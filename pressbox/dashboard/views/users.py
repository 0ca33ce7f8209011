"""Users, for administrators: who writes here, their roles, invitations, deactivation.

Every view needs accounts.change_user (only administrators hold it). Changes are POSTs
that redirect back to the list with a message; the rules (the last administrator, not
yourself) live in pressbox.accounts.services.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from pressbox.accounts.forms import InviteForm, RoleForm
from pressbox.accounts.models import User
from pressbox.accounts.roles import Role, role_of
from pressbox.accounts.services import (
    AccountRuleError,
    invitation_send,
    user_invite,
    user_role_change,
    user_set_active,
)
from pressbox.dashboard.access import current_user, dashboard_view
from pressbox.dashboard.views.accounts import timeout_days

PERMISSION = "accounts.change_user"


@dashboard_view(permission=PERMISSION)
def user_list(request: HttpRequest) -> HttpResponse:
    users = (
        User.objects.select_related("profile")
        .prefetch_related("groups")
        .annotate(post_count=Count("post_authorships"))
        .order_by("-is_active", "username")
    )
    rows = [{"user": user, "role": role_of(user)} for user in users]
    return render(
        request, "dashboard/accounts/user_list.html", {"rows": rows, "roles": Role.choices}
    )


@dashboard_view(permission=PERMISSION)
def user_invite_view(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_invite(**form.cleaned_data, by=current_user(request))
        messages.success(
            request,
            f"Invitation sent to {user.email}. {user.display_name} will sign in "
            f"as “{user.username}”.",
        )
        return redirect("dashboard:user-list")
    context = {"form": form, "timeout_days": timeout_days()}
    return render(request, "dashboard/accounts/user_invite.html", context)


def _apply(request: HttpRequest, change: Callable[[], str]) -> HttpResponse:
    """Make `change` (which returns what it did) and go back to the list, saying so."""
    try:
        messages.success(request, change())
    except AccountRuleError as error:
        messages.error(request, str(error))
    return redirect("dashboard:user-list")


@require_POST
@dashboard_view(permission=PERMISSION)
def user_role(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = RoleForm(request.POST)

    def change() -> str:
        if not form.is_valid():
            raise AccountRuleError("Choose one of the roles.")
        role = Role(form.cleaned_data["role"])
        user_role_change(user=user, role=role, by=current_user(request))
        return f"{user.display_name} is now {role.label.lower()}."

    return _apply(request, change)


@require_POST
@dashboard_view(permission=PERMISSION)
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)

    def change() -> str:
        user_set_active(user=user, active=False, by=current_user(request))
        return f"{user.display_name} is deactivated."

    return _apply(request, change)


@require_POST
@dashboard_view(permission=PERMISSION)
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)

    def change() -> str:
        user_set_active(user=user, active=True, by=current_user(request))
        return f"{user.display_name} is reactivated."

    return _apply(request, change)


@require_POST
@dashboard_view(permission=PERMISSION)
def user_resend_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)

    def change() -> str:
        invitation_send(user=user, by=current_user(request))
        return f"A new invitation is on its way to {user.email}."

    return _apply(request, change)
