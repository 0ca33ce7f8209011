"""The moderation queue in the Django admin; the dashboard has its own at /dashboard/comments/.

The list opens on pending comments, with status tabs and their counts above it, and
each row has one-click Approve / Spam / Trash buttons and a Reply link. Every change
of status, one at a time, in bulk or in the edit form, goes through
`comment_moderate`, so the spam classifier learns from each decision. Only people
with the comments.change_comment permission may act.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, QuerySet
from django.forms import ModelForm
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from pressbox.accounts.models import User
from pressbox.comments.models import Comment
from pressbox.comments.services import DONE_BY, comment_moderate, comment_reply
from pressbox.comments.spam import bayes

Status = Comment.Status
ALL = "all"
TABS = [*Status.choices, (ALL, "All")]
BUTTONS = [(Status.APPROVED, "Approve"), (Status.SPAM, "Spam"), (Status.TRASH, "Trash")]


def shown_status(request: HttpRequest) -> str:
    """The status tab in view: as asked, else pending, or every status when searching."""
    asked = request.GET.get(StatusFilter.parameter_name)
    if asked in dict(TABS):
        return asked
    return ALL if request.GET.get("q") else Status.PENDING


class StatusFilter(admin.SimpleListFilter):
    """Status, defaulting to the queue of pending comments."""

    title = "status"
    parameter_name = "status__exact"  # the name Django's own status filter used

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return TABS

    def value(self) -> str:
        return shown_status(self.request)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        status = self.value()
        return queryset if status == ALL else queryset.filter(status=status)

    def choices(self, changelist: Any) -> Any:
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 8, "cols": 60}),
        max_length=settings.PRESSBOX_COMMENT_MAX_LENGTH,
        strip=True,
    )


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [  # the buttons early, so they show without scrolling sideways
        "author_name",
        "excerpt",
        "moderate_buttons",
        "status_reason",
        "spam_percent",
        "status",
        "post",
        "created_at",
        "author_email",
    ]
    list_filter = [StatusFilter, "created_at"]
    list_select_related = ["post"]
    search_fields = ["author_name", "author_email", "body", "post__title"]
    raw_id_fields = ["post", "parent", "user"]
    date_hierarchy = "created_at"
    actions = ["approve", "mark_spam", "trash"]
    readonly_fields = ["ip_address", "user_agent", "status_reason", "spam_score"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # The list --------------------------------------------------------------------

    @admin.display(description="Comment")
    def excerpt(self, obj: Comment) -> str:
        return Truncator(obj.body).chars(120)

    @admin.display(description="Spam score", ordering="spam_score")
    def spam_percent(self, obj: Comment) -> str:
        return "–" if obj.spam_score is None else f"{obj.spam_score:.0%}"

    @admin.display(description="Moderate")
    def moderate_buttons(self, obj: Comment) -> SafeString:
        # The buttons submit the changelist form, which holds the CSRF token, to the
        # moderate view: a form of their own cannot sit inside it.
        url = reverse("admin:comments_comment_moderate", args=[obj.pk])
        buttons = format_html_join(
            " ",
            '<button type="submit" class="button" formaction="{}" formmethod="post" '
            'name="status" value="{}">{}</button>',
            ((url, status, label) for status, label in BUTTONS if obj.status != status),
        )
        if obj.status not in (Status.PENDING, Status.APPROVED):
            return buttons
        reply = reverse("admin:comments_comment_reply", args=[obj.pk])
        return format_html('{} <a href="{}">Reply</a>', buttons, reply)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        counts = dict(Comment.objects.order_by().values_list("status").annotate(n=Count("pk")))
        current = shown_status(request)
        tabs = [
            {
                "value": value,
                "label": label,
                "count": sum(counts.values()) if value == ALL else counts.get(value, 0),
                "selected": value == current,
            }
            for value, label in TABS
        ]
        learnt = bayes.state()
        context = {
            "status_tabs": tabs,
            "classifier": learnt,
            "classifier_ready": bayes.is_ready(learnt),
            "classifier_minimum": bayes.MIN_DOCUMENTS,
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=context)

    # One click and bulk ----------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/moderate/",
                view(self.moderate_view),
                name="comments_comment_moderate",
            ),
            path("<path:object_id>/reply/", view(self.reply_view), name="comments_comment_reply"),
            *super().get_urls(),
        ]

    def moderate_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        comment = self.comment_to_change(request, object_id)
        status = request.POST.get("status", "")
        if status not in Status.values:
            return HttpResponseBadRequest("Unknown status.")
        comment_moderate(comment=comment, status=status, by=moderator(request))
        self.message_user(request, f"The comment by {comment.author_name} was {DONE_BY[status]}.")
        return HttpResponseRedirect(self.back_to_list(request))

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        self.moderate_all(request, queryset, Status.APPROVED)

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def mark_spam(self, request: HttpRequest, queryset: QuerySet) -> None:
        self.moderate_all(request, queryset, Status.SPAM)

    @admin.action(description="Move selected comments to the trash", permissions=["change"])
    def trash(self, request: HttpRequest, queryset: QuerySet) -> None:
        self.moderate_all(request, queryset, Status.TRASH)

    def moderate_all(self, request: HttpRequest, queryset: QuerySet, status: str) -> None:
        comments = list(queryset)
        for comment in comments:
            comment_moderate(comment=comment, status=status, by=moderator(request))
        noun = "comment was" if len(comments) == 1 else "comments were"
        self.message_user(request, f"{len(comments)} {noun} {DONE_BY[status]}.")

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        django_delete = actions.pop("delete_selected", None)  # it asks for confirmation
        if django_delete is not None:
            func, name, _ = django_delete
            actions[name] = (func, name, "Delete selected comments permanently")
        return actions

    def save_model(self, request: HttpRequest, obj: Comment, form: ModelForm, change: bool) -> None:
        """A status changed in the edit form is a moderator's decision like any other."""
        if not (change and "status" in form.changed_data):
            return super().save_model(request, obj, form, change)
        status, obj.status = obj.status, form.initial["status"]
        super().save_model(request, obj, form, change)
        comment_moderate(comment=obj, status=status, by=moderator(request))

    # Reply -----------------------------------------------------------------------

    def reply_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        parent = self.comment_to_change(request, object_id)
        form = ReplyForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                comment_reply(parent=parent, body=form.cleaned_data["body"], by=moderator(request))
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(request, f"Your reply to {parent.author_name} is published.")
                return HttpResponseRedirect(reverse("admin:comments_comment_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Reply to {parent.author_name}",
            "comment": parent,
            "form": form,
        }
        return TemplateResponse(request, "admin/comments/comment/reply.html", context)

    # Helpers ---------------------------------------------------------------------

    def comment_to_change(self, request: HttpRequest, object_id: str) -> Comment:
        comment = self.get_object(request, unquote(object_id))
        if comment is None:
            raise Http404("No such comment.")
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        return comment

    def back_to_list(self, request: HttpRequest) -> str:
        """Where the moderator was: the list with its tab, search and page, else the list."""
        changelist = reverse("admin:comments_comment_changelist")
        referer = request.headers.get("Referer", "")
        safe = url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        same_list = referer.split("?", 1)[0].endswith(changelist)
        return referer if safe and same_list else changelist


def moderator(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # admin_view lets only signed-in staff in
    return user
