"""Autosave: the editor posts its text every few seconds and when the page is left.

An autosave is a revision only; the post readers see never changes. For a new post the
first autosave creates it as a draft, so nothing typed lives only in the browser.
Answers are JSON; a signed-out session gets the login redirect, which editor.js reads
as "your session has expired".
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.views.decorators.http import require_POST

from pressbox.dashboard.access import current_user, dashboard_view
from pressbox.dashboard.views.posts.forms import AutosaveForm, PostForm
from pressbox.posts.models import Post
from pressbox.posts.permissions import can_edit_post
from pressbox.posts.services import Action, post_autosave, post_save


def _saved_at() -> dict[str, str]:
    now = timezone.localtime()
    return {"saved_at": now.isoformat(), "saved_at_display": time_format(now, "H:i")}


def _first_error(form: PostForm | AutosaveForm) -> str:
    for errors in form.errors.values():
        return f"Not autosaved: {errors[0]}"
    return "Not autosaved."


@require_POST
@dashboard_view(permission="posts.change_post")
def post_autosave_view(request: HttpRequest, pk: int) -> JsonResponse:
    user = current_user(request)
    post = get_object_or_404(Post, pk=pk)
    if not can_edit_post(user, post):
        return JsonResponse({"error": "You may not edit this post."}, status=403)
    form = AutosaveForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": _first_error(form)}, status=400)
    revision = post_autosave(post=post, data=form.post_data(), by=user)
    return JsonResponse({"revision": revision.pk, **_saved_at()})


@require_POST
@dashboard_view(permission="posts.add_post")
def post_autosave_new(request: HttpRequest) -> JsonResponse:
    """The first autosave of a new post saves it as a draft and says where it lives."""
    user = current_user(request)
    form = PostForm(request.POST, post=Post(), user=user, action=Action.SAVE)
    if not form.is_valid():
        return JsonResponse({"error": _first_error(form)}, status=400)
    post = post_save(post=Post(), data=form.post_data(), by=user, action=Action.SAVE)
    answer = {
        "post": post.pk,
        "version": post.version,
        "edit_url": reverse("dashboard:post-edit", kwargs={"pk": post.pk}),
        "autosave_url": reverse("dashboard:post-autosave", kwargs={"pk": post.pk}),
        **_saved_at(),
    }
    return JsonResponse(answer, status=201)
