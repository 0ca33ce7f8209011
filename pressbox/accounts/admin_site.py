"""Django's admin, signing in through the dashboard's login page.

The admin's own login form would skip the login throttle and the two-factor step, so
/admin/login/ sends people to /dashboard/login/ (keeping `next`), which brings them back
once they are in. Installed by pressbox.accounts.apps.PressboxAdminConfig, in place of
"django.contrib.admin" (issue 8).
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


class PressboxAdminSite(AdminSite):
    def login(self, request: HttpRequest, extra_context: object = None) -> HttpResponse:
        target = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("admin:index", current_app=self.name)
        return redirect_to_login(target)
