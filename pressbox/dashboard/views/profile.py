"""Your profile: what readers see of you (name, bio, picture, website) and your emails.

Author boxes read the profile on every request, so a saved change shows on the public
site at once. "Preview" renders the typed bio with the site's renderer without saving.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pressbox.accounts.forms import ProfileForm
from pressbox.accounts.models import AuthorProfile
from pressbox.dashboard.access import current_user, dashboard_view
from pressbox.lib.markup import render_markdown


@dashboard_view
def profile(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    instance, _ = AuthorProfile.objects.get_or_create(user=user)
    old_avatar = instance.avatar.name
    saved = {
        "avatar_url": instance.avatar_url,
        "bio_html": instance.bio_html,
        "name": instance.name,
    }
    form = ProfileForm(request.POST or None, request.FILES or None, instance=instance)
    preview = None
    if request.method == "POST" and "preview" in request.POST:
        preview = render_markdown(form.data.get("bio", ""))
    elif request.method == "POST" and form.is_valid():
        saved = form.save()
        if old_avatar and saved.avatar.name != old_avatar:
            storage = saved.avatar.storage
            transaction.on_commit(lambda: storage.delete(old_avatar))
        messages.success(request, "Your profile is saved.")
        return redirect("dashboard:profile")
    context = {"form": form, "preview": preview, "saved": saved}
    return render(request, "dashboard/accounts/profile_form.html", context)
