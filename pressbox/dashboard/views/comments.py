"""/dashboard/comments/: the moderation queue of issue 3, in the writer's dashboard.

It mirrors the admin's queue (pressbox.comments.admin): status tabs with their counts,
pending first; search; each comment with its private details (email, IP), why it got
its status and its spam score; one-click buttons, a reply, and bulk actions. Every
change of status goes through `comment_moderate`, so the spam classifier learns from
the dashboard as it does from the admin, and every reply through `comment_reply`.

Without JavaScript each button is a POST that redirects back to the same tab, search
and page (the form's `next`). static/pressbox/dashboard/comments.js sends the same
POST asking for JSON and swaps the row for the one rendered here.

Only comments.change_comment (editors and administrators) opens the queue; authors and
contributors moderate nothing, not even on their own posts, as in WordPress, where that
takes the moderate_comments capability. Deleting for good also takes
comments.delete_comment, and only spam or trash can be deleted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    QueryDict,
)
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from pressbox.accounts.forms import DescribedErrorsMixin
from pressbox.accounts.models import User
from pressbox.comments.models import Comment
from pressbox.comments.services import DONE_BY, comment_moderate, comment_reply
from pressbox.comments.spam import bayes
from pressbox.dashboard.access import current_user, dashboard_view

PERMISSION = "comments.change_comment"
DELETE_PERMISSION = "comments.delete_comment"
PER_PAGE = 20
Status = Comment.Status
ALL = "all"
TABS = [*Status.choices, (ALL, "All")]
DELETE = "delete"
DELETABLE = [Status.SPAM, Status.TRASH]

# The one-click buttons of a comment with each status: (status it sets, label, accessible
# name). "Not spam" approves, so the classifier un-learns the spam; "Restore" takes a
# trashed comment back to the pending queue, as the trash does not keep where it was.
ROW_ACTIONS: dict[str, list[tuple[str, str, str]]] = {
    Status.PENDING: [
        (Status.APPROVED, "Approve", "Approve comment by {}"),
        (Status.SPAM, "Spam", "Mark comment by {} as spam"),
        (Status.TRASH, "Trash", "Move comment by {} to the trash"),
    ],
    Status.APPROVED: [
        (Status.PENDING, "Unapprove", "Unapprove comment by {}"),
        (Status.SPAM, "Spam", "Mark comment by {} as spam"),
        (Status.TRASH, "Trash", "Move comment by {} to the trash"),
    ],
    Status.SPAM: [
        (Status.APPROVED, "Not spam", "Not spam: approve comment by {}"),
        (Status.TRASH, "Trash", "Move comment by {} to the trash"),
    ],
    Status.TRASH: [
        (Status.PENDING, "Restore", "Restore comment by {}"),
        (Status.SPAM, "Spam", "Mark comment by {} as spam"),
    ],
}
APPROVE, UNAPPROVE = (Status.APPROVED, "Approve"), (Status.PENDING, "Unapprove")
TO_SPAM, TO_TRASH = (Status.SPAM, "Mark as spam"), (Status.TRASH, "Move to the trash")
BULK_ACTIONS: dict[str, list[tuple[str, str]]] = {
    Status.PENDING: [APPROVE, TO_SPAM, TO_TRASH],
    Status.APPROVED: [UNAPPROVE, TO_SPAM, TO_TRASH],
    Status.SPAM: [(Status.APPROVED, "Not spam: approve"), TO_TRASH],
    Status.TRASH: [(Status.PENDING, "Restore to pending"), TO_SPAM],
    ALL: [APPROVE, UNAPPROVE, TO_SPAM, TO_TRASH],
}


class ReplyForm(DescribedErrorsMixin, forms.Form):
    body = forms.CharField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=settings.PRESSBOX_COMMENT_MAX_LENGTH,
        error_messages={"required": "Please write a reply."},
    )


# The queue --------------------------------------------------------------------------


@dashboard_view(permission=PERMISSION)
def comment_queue(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    tab = shown_tab(request.GET, query)
    comments = Comment.objects.filter(matching(query)) if query else Comment.objects.all()
    counts = status_counts(comments)
    listed = comments if tab == ALL else comments.filter(status=tab)
    listed = (
        listed.select_related("post", "parent")
        .defer("post__body", "post__body_html", "parent__body", "parent__body_html")
        .order_by("-created_at", "-pk")
    )
    paginator = Paginator(listed, PER_PAGE)
    paginator.count = counts[tab]  # type: ignore[misc]  # counted above: saves a query
    page = paginator.get_page(request.GET.get("page"))
    learnt = bayes.state()
    context = {
        "tabs": [(value, label, counts[value]) for value, label in TABS],
        "tab": tab,
        "asked_tab": request.GET.get("status", ""),
        "query": query,
        "page": page,
        "rows": rows(page.object_list, tab=tab),
        "next": request.get_full_path(),
        "bulk_actions": bulk_actions(tab, may_delete=request.user.has_perm(DELETE_PERMISSION)),
        "classifier": learnt,
        "classifier_ready": bayes.is_ready(learnt),
        "classifier_minimum": bayes.MIN_DOCUMENTS,
    }
    return render(request, "dashboard/comments/comment_queue.html", context)


def status_counts(comments: QuerySet[Comment]) -> dict[str, int]:
    """How many comments each tab holds, in one query."""
    return comments.aggregate(
        **{
            value: Count("pk", filter=None if value == ALL else Q(status=value))
            for value, _ in TABS
        }
    )


def bulk_actions(tab: str, *, may_delete: bool) -> list[tuple[str, str]]:
    if may_delete and tab in DELETABLE:
        return [*BULK_ACTIONS[tab], (DELETE, "Delete permanently")]
    return BULK_ACTIONS[tab]


def shown_tab(params: QueryDict, query: str) -> str:
    """The tab asked for; else pending, or every status when searching (as the admin)."""
    asked = params.get("status", "")
    if asked in dict(TABS):
        return asked
    return ALL if query else Status.PENDING


def matching(query: str) -> Q:
    return (
        Q(author_name__icontains=query)
        | Q(author_email__icontains=query)
        | Q(body__icontains=query)
        | Q(post__title__icontains=query)
    )


def rows(comments: Iterable[Comment], *, tab: str) -> list[dict[str, Any]]:
    """What the row template needs beyond the comment: its buttons and its post's link."""
    return [
        {
            "comment": comment,
            "actions": [
                (status, label, name.format(comment.author_name))
                for status, label, name in ROW_ACTIONS[comment.status]
            ],
            "can_reply": comment.status in (Status.PENDING, Status.APPROVED),
            "show_status": tab == ALL,
            # Imports may bring any scheme: only http(s) addresses become links.
            "website_is_safe": urlsplit(comment.author_url).scheme in ("http", "https"),
            "post_url": comment.post.get_absolute_url()
            if comment.post.is_published()
            else reverse("dashboard:post-edit", kwargs={"pk": comment.post_id}),
        }
        for comment in comments
    ]


# One click -------------------------------------------------------------------------


@require_POST
@dashboard_view(permission=PERMISSION)
def comment_moderate_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("post", "parent"), pk=pk)
    status = request.POST.get("status", "")
    if status not in Status.values:
        return HttpResponseBadRequest("Unknown status.")
    was = comment.status
    comment_moderate(comment=comment, status=status, by=current_user(request))
    message = f"The comment by {comment.author_name} was {done(was, status)}."
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"message": message, "was": was, "status": status,
                             "row": row_html(request, comment)})  # fmt: skip
    messages.success(request, message)
    return redirect(back_to_queue(request))


def done(was: str, status: str) -> str:
    if status == Status.PENDING and was in DELETABLE:
        return "restored to the pending queue"
    return DONE_BY[status]


def row_html(request: HttpRequest, comment: Comment) -> str:
    """The comment's row as the queue it came from shows it (for comments.js)."""
    back = back_to_queue(request)
    params = QueryDict(urlsplit(back).query)
    tab = shown_tab(params, params.get("q", "").strip())
    context = {"row": rows([comment], tab=tab)[0], "next": back, "csrf_token": get_token(request)}
    return render_to_string("dashboard/comments/_comment_row.html", context)


def back_to_queue(request: HttpRequest) -> str:
    """Where the moderator was: the queue with its tab, search and page, else the queue."""
    queue = reverse("dashboard:comment-queue")
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe and urlsplit(target).path == queue else queue


# Reply -----------------------------------------------------------------------------


@dashboard_view(permission=PERMISSION)
def comment_reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply box under a row posts here; its own page shows it again with errors."""
    parent = get_object_or_404(Comment.objects.select_related("post"), pk=pk)
    form = ReplyForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            comment_reply(parent=parent, body=form.cleaned_data["body"], by=current_user(request))
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Your reply to {parent.author_name} is published.")
            return redirect(back_to_queue(request))
    context = {"comment": parent, "form": form, "next": back_to_queue(request)}
    return render(request, "dashboard/comments/comment_reply.html", context)


# Bulk ------------------------------------------------------------------------------


@require_POST
@dashboard_view(permission=PERMISSION)
def comment_bulk(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action", "")
    ids = {int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()}
    back = back_to_queue(request)
    if action not in [*Status.values, DELETE]:
        messages.error(request, "Choose what to do with the selected comments.")
    elif not ids:
        messages.error(request, "Select at least one comment first.")
    elif action == DELETE:
        return bulk_delete(request, ids, back)
    else:
        messages.success(request, bulk_moderate(ids, action, by=current_user(request)))
    return redirect(back)


def bulk_moderate(ids: set[int], status: str, *, by: User) -> str:
    """Moderate each comment (each is learnt from) and say what was done."""
    moderated = list(Comment.objects.filter(pk__in=ids).exclude(status=status))
    was = {comment.status for comment in moderated}
    said = done(was.pop(), status) if len(was) == 1 else DONE_BY[status]
    with transaction.atomic():
        for comment in moderated:
            comment_moderate(comment=comment, status=status, by=by)
    noun = "comment was" if len(moderated) == 1 else "comments were"
    return f"{len(moderated)} {noun} {said}."


def bulk_delete(request: HttpRequest, ids: set[int], back: str) -> HttpResponse:
    """Confirm first (the page lists what goes), then delete for good."""
    if not request.user.has_perm(DELETE_PERMISSION):
        raise PermissionDenied("Your role does not allow deleting comments.")
    chosen = Comment.objects.filter(pk__in=ids, status__in=DELETABLE)
    doomed, kept = deletable(chosen)
    if request.POST.get("confirm") != "yes":
        context = {
            "comments": chosen.filter(pk__in=doomed).select_related("post").order_by("-created_at"),
            "not_deletable": len(ids) - len(doomed) - len(kept),
            "kept": len(kept),
            "next": back,
        }
        return render(request, "dashboard/comments/comment_confirm_delete.html", context)
    _, by_model = Comment.objects.filter(pk__in=doomed).delete()
    deleted = by_model.get(Comment._meta.label, 0)
    message = f"{deleted} comment{'' if deleted == 1 else 's'} deleted permanently."
    if kept:
        message += f" {len(kept)} kept: {'it has' if len(kept) == 1 else 'they have'} replies."
    messages.success(request, message)
    return redirect(back)


def deletable(chosen: QuerySet[Comment]) -> tuple[set[int], set[int]]:
    """(the chosen comments that can go, those kept because a reply that stays hangs
    under them). Deleting a comment deletes its replies, so a spam thread goes whole
    only when all of it was chosen; as `spam_purge`, nothing visible is lost."""
    doomed = set(chosen.values_list("pk", flat=True))
    replies: dict[int, set[int]] = defaultdict(set)
    for pk, parent in Comment.objects.filter(parent_id__in=doomed).values_list("pk", "parent_id"):
        replies[parent].add(pk)
    kept: set[int] = set()
    while blocked := {pk for pk in doomed if replies[pk] - doomed}:
        doomed -= blocked
        kept |= blocked
    return doomed, kept
