"""The post editor: /dashboard/posts/new/ and /dashboard/posts/<id>/edit/.

A save names its action (the button pressed) and carries the version the form was
opened at. When someone else saved in between, the form comes back with everything
typed, who saved and when, and a diff of their version against this one; "Save mine
anyway" then saves over theirs on purpose (issue 4).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from pressbox.accounts.models import User
from pressbox.dashboard.access import current_user, dashboard_view
from pressbox.dashboard.views.posts.diffs import field_diffs
from pressbox.dashboard.views.posts.forms import PostForm, category_tree, writers
from pressbox.posts.models import Post, PostRevision
from pressbox.posts.permissions import can_publish_post
from pressbox.posts.services import (
    PUBLISHING,
    Action,
    ActionError,
    PostConflict,
    actions_for,
    newer_autosave,
    post_save,
)
from pressbox.posts.views.preview import preview_url

DONE = {
    Action.SAVE: "Saved.",
    Action.SUBMIT: "Submitted for review: an editor will read it and publish it.",
    Action.PUBLISH: "Published.",
    Action.UNPUBLISH: "Unpublished: the post is a draft again and readers no longer see it.",
    Action.UPDATE: "Updated.",
}


@dashboard_view(permission="posts.add_post")
def post_new(request: HttpRequest) -> HttpResponse:
    return _editor(request, Post())


@dashboard_view(permission="posts.change_post")
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("featured_image"), pk=pk)
    return _editor(request, post)


def _editor(request: HttpRequest, post: Post) -> HttpResponse:
    user = current_user(request)
    if not actions_for(user, post):
        raise PermissionDenied("You may not edit this post.")
    if request.method == "POST":
        return _save(request, post, user)
    initial = PostForm.initial_for(post)
    if post.pk is None:
        initial["authors"] = user.username  # shown, so the byline holds no surprise
    restoring = _autosave_asked(request, post)
    if restoring is not None:
        initial.update(restoring.fields())
    form = PostForm(initial=initial, post=post, user=user)
    return _render(request, post, form, restoring=restoring)


def _autosave_asked(request: HttpRequest, post: Post) -> PostRevision | None:
    """The autosave named by ?autosave=<id>, loaded into the form (not yet saved)."""
    wanted = request.GET.get("autosave", "")
    if not wanted.isdigit() or post.pk is None:
        return None
    revision = post.revisions.filter(pk=int(wanted), kind=PostRevision.Kind.AUTOSAVE).first()
    if revision is None:
        raise Http404("No such autosave.")
    return revision


def _save(request: HttpRequest, post: Post, user: User) -> HttpResponse:
    chosen = request.POST.get("override") or request.POST.get("action", "")
    if chosen not in Action.values:
        raise PermissionDenied("Unknown action.")
    action = Action(chosen)
    if action in PUBLISHING and not can_publish_post(user, post):
        raise PermissionDenied("Your role does not allow publishing.")
    form = PostForm(request.POST, post=post, user=user, action=action)
    if not form.is_valid():
        return _render(request, post, form)
    field = "override_version" if request.POST.get("override") else "version"
    base = form.cleaned_data[field]
    try:
        post_save(
            post=post, data=form.post_data(), by=user, action=action, base_version=base or None
        )
    except PostConflict as conflict:
        return _conflict(request, post, user, action, conflict)
    except ActionError as error:
        form.add_error(None, str(error))
        return _render(request, post, form)
    messages.success(request, _done(action, post))
    return redirect("dashboard:post-edit", pk=post.pk)


def _done(action: Action, post: Post) -> str:
    if action == Action.SCHEDULE and post.published_at:
        when = date_format(timezone.localtime(post.published_at), "DATETIME_FORMAT")
        return f"Scheduled: the post will appear on {when}."
    if action == Action.SAVE and post.status == Post.Status.DRAFT:
        return "Draft saved."
    return DONE.get(action, "Saved.")


def _conflict(
    request: HttpRequest, post: Post, user: User, action: Action, conflict: PostConflict
) -> HttpResponse:
    """The form again, as typed, ready to be saved over the newer version on purpose."""
    data = request.POST.copy()
    data["override_version"] = str(conflict.current.version)
    form = PostForm(data, post=conflict.current, user=user, action=action)
    form.is_valid()
    theirs = {name: getattr(conflict.current, name) for name in PostRevision.FIELDS}
    yours = {name: str(form.data.get(name, "")) for name in PostRevision.FIELDS}
    yours["slug"] = yours["slug"] or theirs["slug"]  # empty means "as it is": no change
    available = actions_for(user, conflict.current)
    context = {
        "by": conflict.saved_by.display_name if conflict.saved_by else "Someone",
        "at": conflict.saved_at,
        "action": action if action in available else available[0],
        "diffs": field_diffs(theirs, yours),
    }
    return _render(request, conflict.current, form, conflict=context, status=409)


def _render(
    request: HttpRequest,
    post: Post,
    form: PostForm,
    *,
    conflict: dict[str, Any] | None = None,
    restoring: PostRevision | None = None,
    status: int = 200,
) -> HttpResponse:
    user = current_user(request)
    saved = post.pk is not None
    selected = {str(pk) for pk in (form["categories"].value() or [])}
    context = {
        "post": post,
        "is_new": not saved,
        "form": form,
        "buttons": _buttons(actions_for(user, post), post),
        "category_tree": [(c, depth, str(c.pk) in selected) for c, depth in category_tree()],
        "writers": writers(),
        "conflict": conflict,
        "restoring": restoring,
        "autosave": newer_autosave(post=post, by=user) if saved and not restoring else None,
        "preview_link": _share_link(request, post) if saved else "",
        "autosave_url": reverse("dashboard:post-autosave", kwargs={"pk": post.pk})
        if saved
        else reverse("dashboard:post-autosave-new"),
        "revision_count": post.revisions.exclude(kind=PostRevision.Kind.AUTOSAVE).count()
        if saved
        else 0,
        "server_now": int(timezone.now().timestamp() * 1000),
        "saved_at": int(post.updated_at.timestamp() * 1000) if saved else 0,
    }
    return render(request, "dashboard/posts/post_form.html", context, status=status)


def _buttons(actions: list[Action], post: Post) -> list[tuple[str, str, str]]:
    """(action, label, style) for each submit button, in the order shown."""
    styles = {Action.PUBLISH: "primary", Action.SUBMIT: "primary", Action.UPDATE: "primary"}
    styles[Action.UNPUBLISH] = "danger"
    buttons = []
    for action in actions:
        label = action.label
        if action == Action.SAVE and post.status in (Post.Status.PENDING, Post.Status.PRIVATE):
            label = "Save"
        if action == Action.SUBMIT and post.status == Post.Status.PENDING:
            label = "Update submission"
        buttons.append((action.value, label, styles.get(action, "")))
    return buttons


def _share_link(request: HttpRequest, post: Post) -> str:
    """A signed link that shows the draft to anyone for 7 days (none once published)."""
    if post.is_published():
        return ""
    return request.build_absolute_uri(preview_url(post))
