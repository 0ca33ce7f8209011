"""/dashboard/posts/<id>/revisions/: every saved version, a diff of any two, restore any."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from pressbox.dashboard.access import current_user, dashboard_view
from pressbox.dashboard.views.posts.diffs import field_diffs
from pressbox.posts.models import Post, PostRevision
from pressbox.posts.permissions import can_edit_post
from pressbox.posts.services import post_revision_restore


def _editable_post(request: HttpRequest, pk: int) -> Post:
    post = get_object_or_404(Post, pk=pk)
    if not can_edit_post(current_user(request), post):
        raise PermissionDenied("You may not edit this post.")
    return post


def _pick(revisions: list[PostRevision], wanted: str | None) -> PostRevision | None:
    if wanted is None:
        return None
    found = next((r for r in revisions if str(r.pk) == wanted), None)
    if found is None:
        raise Http404("No such revision of this post.")
    return found


def _is_current(revision: PostRevision, post: Post) -> bool:
    return all(getattr(post, name) == value for name, value in revision.fields().items())


@dashboard_view(permission="posts.change_post")
def revision_list(request: HttpRequest, pk: int) -> HttpResponse:
    post = _editable_post(request, pk)
    revisions = list(post.revisions.select_related("by__profile"))
    older = _pick(revisions, request.GET.get("from"))
    newer = _pick(revisions, request.GET.get("to"))
    if older and newer and older.created_at > newer.created_at:
        older, newer = newer, older
    context = {
        "post": post,
        "revisions": [(r, _is_current(r, post)) for r in revisions],
        "older": older,
        "newer": newer,
        "diffs": field_diffs(older.fields(), newer.fields()) if older and newer else None,
        # The two latest are compared by default.
        "from_default": older or (revisions[1] if len(revisions) > 1 else None),
        "to_default": newer or (revisions[0] if revisions else None),
    }
    return render(request, "dashboard/posts/revision_list.html", context)


@require_POST
@dashboard_view(permission="posts.change_post")
def revision_restore(request: HttpRequest, pk: int, revision_id: int) -> HttpResponse:
    post = _editable_post(request, pk)
    revision = get_object_or_404(PostRevision, pk=revision_id, post=post)
    post_revision_restore(post=post, revision=revision, by=current_user(request))
    when = date_format(timezone.localtime(revision.created_at), "DATETIME_FORMAT")
    messages.success(
        request, f"Restored the version of {when}. The text it replaced is kept as a revision."
    )
    return redirect("dashboard:post-edit", pk=post.pk)
