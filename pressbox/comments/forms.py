from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList

from pressbox.comments import protection
from pressbox.comments.models import Comment
from pressbox.posts.models import Post

CLOSED = "Comments are closed."
DUPLICATE = "You have already posted this comment."


def comment_text_field() -> forms.CharField:
    return forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
        max_length=settings.PRESSBOX_COMMENT_MAX_LENGTH,
        error_messages={
            "required": "Please write a comment.",
            "max_length": "Your comment is too long: %(limit_value)d characters at most "
            "(it has %(show_value)d).",
        },
    )


def clean_comment_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise forms.ValidationError("Please write a comment.")
    if "\x00" in text:
        raise forms.ValidationError("Your comment contains a character that is not allowed.")
    return text


class EmptyWidgetRenderer(DjangoTemplates):
    """Django's form renderer, remembering the HTML of widgets with no value.

    The comment form's inputs render the same on every post page until someone types
    in them; through the template engine they were a millisecond of each uncached
    post page (issue 7). Widgets holding a value (a form sent back with errors, a
    reply's parent) render as usual and are not kept.
    """

    MAX_KEPT = 256

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if not isinstance(widget, dict) or widget.get("value") not in (None, ""):
            return super().render(template_name, context, request)
        key = (template_name, repr(context))
        html = self.kept.get(key)
        if html is None:
            html = super().render(template_name, context, request)
            if len(self.kept) < self.MAX_KEPT:
                self.kept[key] = html
        return html


class CommentForm(forms.Form):
    """The "Leave a Reply" form. `url_confirm` is a honeypot hidden from people;
    `timestamp` is the signed token of `pressbox.comments.protection`."""

    comment = comment_text_field()
    name = forms.CharField(
        label="Name",
        max_length=settings.PRESSBOX_COMMENT_NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name", "size": 30}),
        error_messages={
            "required": "Please give your name.",
            "max_length": "Your name is too long: %(limit_value)d characters at most.",
        },
    )
    email = forms.EmailField(
        label="Email",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "size": 30}),
        error_messages={
            "required": "Please give your email address (it will not be published).",
            "invalid": "Please give a valid email address, such as name@example.com.",
        },
    )
    url = forms.URLField(
        label="Website",
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url", "size": 30}),
        error_messages={"invalid": "Please give a full web address, such as https://example.com."},
    )
    save_details = forms.BooleanField(
        label="Save my name, email, and website in this browser for the next time I comment.",
        required=False,
    )
    notify_replies = forms.BooleanField(
        label="Notify me of replies to my comment by email.", required=False
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    url_confirm = forms.CharField(required=False, label="Leave this field empty")
    timestamp = forms.CharField(required=False, widget=forms.HiddenInput)

    default_renderer = EmptyWidgetRenderer()

    def __init__(self, *args: Any, post: Post, **kwargs: Any) -> None:
        self.post = post
        super().__init__(*args, **kwargs)

    def token(self) -> str:
        """The `timestamp` value to render: the page's own for a new form; a fresh one,
        dated back by the minimum delay, for a form sent back to be posted again."""
        return protection.form_token(self.post.pk, aged=self.is_bound)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Please give your name.")
        return name

    def clean_comment(self) -> str:
        return clean_comment_text(self.cleaned_data["comment"])

    def clean_timestamp(self) -> str:
        token = self.cleaned_data["timestamp"]
        if not self.post.accepts_comments():
            return token  # clean() says so, and nothing else needs saying
        problem = protection.form_token_problem(token, post_id=self.post.pk)
        if problem:
            raise forms.ValidationError(problem)
        return token

    def clean_parent(self) -> Comment | None:
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = Comment.objects.approved().filter(pk=parent_id, post=self.post).first()
        if parent is None:
            raise forms.ValidationError(
                "The comment you are replying to is not on this post; reply to it from its page."
            )
        return parent

    def non_field_errors(self) -> ErrorList:
        """Form-wide errors plus those of the hidden fields, which no one can see."""
        errors = super().non_field_errors().copy()
        errors.extend(self.errors.get("parent", []))
        errors.extend(self.errors.get("timestamp", []))
        return errors

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.post.accepts_comments():
            raise forms.ValidationError(CLOSED)
        if self.is_duplicate(data):
            raise forms.ValidationError(DUPLICATE)
        return data

    def is_duplicate(self, data: dict[str, Any]) -> bool:
        """The same text from the same address on this post: a double click or a replayed
        form, refused as WordPress does rather than stored twice."""
        if not (data.get("comment") and data.get("email")):
            return False
        same = Comment.objects.filter(
            post=self.post, author_email=data["email"].lower(), body=data["comment"]
        )
        return same.exclude(status=Comment.Status.TRASH).exists()


class CommentEditForm(forms.Form):
    """A commenter's own comment, changed within ten minutes (views/own.py)."""

    comment = comment_text_field()

    def clean_comment(self) -> str:
        return clean_comment_text(self.cleaned_data["comment"])
