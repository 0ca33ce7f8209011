"""/dashboard/privacy/: answer a commenter who asks for their data, or for it to go.

One form, an email address and two actions, over `personal_data_export` and
`personal_data_erase` (pressbox.comments.privacy), as the commands
`export_personal_data` and `erase_personal_data` do:

- "Export personal data" downloads the JSON as an attachment. Its file name carries a
  keyed hash of the address, never the address.
- "Erase personal data" first shows how many comments would be anonymised, then
  erases after a second click.

It needs comments.delete_comment (editors and administrators): anonymising comments
is a lesser change than deleting them, which editors may already do, and the export
shows nothing the moderation queue does not show them already. WordPress keeps these
tools to administrators; a site that wants that can take the permission from the
editor role (pressbox.accounts.roles).

The address is POSTed, never put in a URL (access logs), a message or a log line, and
is masked in Django's error reports (sensitive_post_parameters).
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import salted_hmac
from django.views.decorators.debug import sensitive_post_parameters

from pressbox.accounts.forms import DescribedErrorsMixin
from pressbox.comments.models import Comment, ReplySubscriber
from pressbox.comments.privacy import personal_data_erase, personal_data_export
from pressbox.dashboard.access import dashboard_view

PERMISSION = "comments.delete_comment"
EXPORT, ERASE = "export", "erase"


class PrivacyForm(DescribedErrorsMixin, forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address the commenter used; capitals do not matter.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()  # as pressbox.comments.privacy matches


@sensitive_post_parameters("email")
@dashboard_view(permission=PERMISSION)
def privacy(request: HttpRequest) -> HttpResponse:
    form = PrivacyForm(request.POST if request.method == "POST" else None)
    action = request.POST.get("action", EXPORT)
    if not form.is_valid():
        return render(request, "dashboard/comments/privacy.html", {"form": form})
    email = form.cleaned_data["email"]
    if action != ERASE:
        return export_response(email)
    if request.POST.get("confirm") != "yes":
        return confirm_erase(request, form, email)
    erased = personal_data_erase(email=email)
    comments = counted(erased.comments, "comment")
    subscriptions = counted(erased.subscriptions, "reply subscription")
    messages.success(request, f"Erased: {comments} anonymised, {subscriptions} deleted.")
    return redirect("dashboard:privacy")


def counted(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def export_response(email: str) -> HttpResponse:
    data = personal_data_export(email=email)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False) + "\n",
        content_type="application/json; charset=utf-8",
    )
    key = salted_hmac("pressbox.privacy-export", email).hexdigest()[:16]
    response["Content-Disposition"] = f'attachment; filename="personal-data-{key}.json"'
    return response


def confirm_erase(request: HttpRequest, form: PrivacyForm, email: str) -> HttpResponse:
    """What erasing would change, with the button that does it (nothing changes yet)."""
    context = {
        "form": form,
        "email": email,
        "comment_count": Comment.objects.filter(author_email__iexact=email).count(),
        "subscribed": ReplySubscriber.objects.filter(email__iexact=email).exists(),
    }
    return render(request, "dashboard/comments/privacy_confirm_erase.html", context)
