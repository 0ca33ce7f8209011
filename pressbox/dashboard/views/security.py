"""Your sign-in security: two-step sign-in with an authenticator app, recovery codes.

Optional for everyone who can enter the dashboard (issue 8). Setting it up shows a QR
code, the otpauth:// address and the secret typed by hand; it is on only once a code from
the app is accepted with your password. Turning it off or making new recovery codes
asks for the password again. The rules are in pressbox.accounts.twofactor.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pressbox.accounts.forms import PasswordConfirmForm, TwoFactorSetupForm
from pressbox.accounts.twofactor import (
    TwoFactorError,
    enabled_device,
    otpauth_uri,
    qr_svg,
    recovery_codes_left,
    recovery_codes_renew,
    secret_text,
    totp_setup_confirm,
    totp_setup_start,
    two_factor_disable,
)
from pressbox.dashboard.access import current_user, dashboard_view
from pressbox.posts.models import SiteSettings

NEW_CODES_KEY = "pressbox_new_recovery_codes"  # shown once, on the next security page


def _page(request: HttpRequest, **forms: PasswordConfirmForm) -> HttpResponse:
    user = current_user(request)
    device = enabled_device(user)
    context: dict[str, Any] = {
        "device": device,
        "codes_left": recovery_codes_left(user) if device else 0,
        "new_codes": request.session.pop(NEW_CODES_KEY, None),
        "off_form": PasswordConfirmForm(user=user, request=request, auto_id="off_%s"),
        "codes_form": PasswordConfirmForm(user=user, request=request, auto_id="codes_%s"),
        **forms,
    }
    return render(request, "dashboard/accounts/security.html", context)


@dashboard_view
def security(request: HttpRequest) -> HttpResponse:
    return _page(request)


@dashboard_view
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if enabled_device(user):
        return redirect("dashboard:security")
    device = totp_setup_start(user=user)
    form = TwoFactorSetupForm(request.POST or None, user=user, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            codes = totp_setup_confirm(device=device, code=form.cleaned_data["code"])
        except TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            request.session[NEW_CODES_KEY] = codes
            messages.success(request, "Two-step sign-in is on. Save your recovery codes now.")
            return redirect("dashboard:security")
    uri = otpauth_uri(device, issuer=SiteSettings.load().title)
    context = {"form": form, "uri": uri, "qr": qr_svg(uri), "secret": secret_text(device)}
    return render(request, "dashboard/accounts/two_factor_setup.html", context)


@require_POST
@dashboard_view
def two_factor_off(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = PasswordConfirmForm(request.POST, user=user, request=request, auto_id="off_%s")
    if not form.is_valid():
        return _page(request, off_form=form)
    two_factor_disable(user=user)
    messages.success(request, "Two-step sign-in is off: your password alone logs you in.")
    return redirect("dashboard:security")


@require_POST
@dashboard_view
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = PasswordConfirmForm(request.POST, user=user, request=request, auto_id="codes_%s")
    if not enabled_device(user) or not form.is_valid():
        return _page(request, codes_form=form)
    request.session[NEW_CODES_KEY] = recovery_codes_renew(user=user)
    messages.success(request, "New recovery codes are ready; the earlier ones no longer work.")
    return redirect("dashboard:security")
