"""Signing in and passwords: throttled login (with a code from an authenticator app for
accounts that turned two-step sign-in on), reset by emailed link, invitations, change.

Django's auth views do the work; these subclasses only choose our templates, forms and
URLs. Emailed links are built from PRESSBOX_SITE_URL, never from the request's Host
header, so a forged Host cannot send someone a link to another site.
"""

from __future__ import annotations

import time
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from pressbox.accounts import throttle
from pressbox.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    NewPasswordForm,
    QueuedPasswordResetForm,
    TwoFactorLoginForm,
)
from pressbox.accounts.models import User
from pressbox.accounts.twofactor import two_factor_enabled
from pressbox.dashboard.access import View, dashboard_view
from pressbox.posts.models import SiteSettings

# Between the password and the code, the session holds who is signing in (not signed in
# yet); the code must follow within PENDING_SECONDS.
PENDING_KEY = "pressbox_two_factor"
PENDING_SECONDS = 5 * 60


def throttled(response: HttpResponse, form: Form) -> HttpResponse:
    if getattr(form, "throttled", False):
        response.status_code = 429
        response["Retry-After"] = str(throttle.WINDOW)
    return response


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "dashboard/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not two_factor_enabled(user):
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,  # type: ignore[attr-defined]  # set by authenticate()
            "hash": user.get_session_auth_hash(),
            "next": self.get_success_url(),
            "at": int(time.time()),
        }
        return redirect("dashboard:login-code")

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        return throttled(super().form_invalid(form), form)


def pending_sign_in(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    """Who typed the right password a moment ago, if their password is still the same."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None or user.get_session_auth_hash() != pending["hash"]:
        return None
    return user, pending


@sensitive_post_parameters("code")
@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of logging in, for accounts with two-step sign-in on."""
    found = pending_sign_in(request)
    if found is None:
        if PENDING_KEY in request.session:
            del request.session[PENDING_KEY]
            messages.error(request, "That took too long. Please log in again.")
        return redirect("dashboard:login")
    user, pending = found
    form = TwoFactorLoginForm(request.POST or None, user=user, request=request)
    if request.method == "POST" and form.is_valid():
        del request.session[PENDING_KEY]
        auth_login(request, user, backend=pending["backend"])
        otp_login(request, form.device)
        return redirect(pending["next"])
    return throttled(render(request, "dashboard/login_code.html", {"form": form}), form)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "dashboard/accounts/password_reset_form.html"
    email_template_name = "dashboard/accounts/email/password_reset.txt"
    subject_template_name = "dashboard/accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("dashboard:password-reset-done")

    def form_valid(self, form: Form) -> HttpResponse:
        self.extra_email_context = {
            "site_title": SiteSettings.load().title,
            "site_url": settings.SITE_URL,
            "days": timeout_days(),
        }
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "dashboard/accounts/password_reset_done.html"


def timeout_days() -> int:
    """How long an emailed link works (Django's PASSWORD_RESET_TIMEOUT, 3 days by default)."""
    return settings.PASSWORD_RESET_TIMEOUT // 86400


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "dashboard/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("dashboard:password-reset-complete")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "timeout_days": timeout_days()}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "dashboard/accounts/password_reset_complete.html"


class InvitationView(auth_views.PasswordResetConfirmView):
    """An invited person's link: the same token as a reset, a welcoming page."""

    form_class = NewPasswordForm
    template_name = "dashboard/accounts/invitation_confirm.html"
    success_url = reverse_lazy("dashboard:login")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "timeout_days": timeout_days()}

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(
            self.request,
            f"Welcome! Your password is set. Log in as {self.user.get_username()}.",
        )
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password ends every other session of the account (their stored
    session hash no longer matches) and keeps this one (update_session_auth_hash)."""

    form_class = ChangePasswordForm
    template_name = "dashboard/accounts/password_change_form.html"
    success_url = reverse_lazy("dashboard:profile")

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(
            self.request, "Your password is changed; you were logged out everywhere else."
        )
        return response


login = LoginView.as_view()
logout = auth_views.LogoutView.as_view()
password_reset = PasswordResetView.as_view()
password_reset_done = PasswordResetDoneView.as_view()
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = PasswordResetCompleteView.as_view()
invitation = InvitationView.as_view()
password_change = dashboard_view(cast(View, PasswordChangeView.as_view()))
