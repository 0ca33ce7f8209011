"""Site settings, for administrators (posts.change_sitesettings): every SiteSettings field.

SiteSettings.save() clears its cache entry, so every process reads the new values on its
next request: no restart. The time zone is the one setting that stays in the
environment (PRESSBOX_TIME_ZONE), because Django reads it once at start-up.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pressbox.accounts.forms import DescribedErrorsMixin
from pressbox.dashboard.access import dashboard_view
from pressbox.posts.models import SiteSettings

Permalink = SiteSettings.Permalink
PERMALINK_NAMES = {
    Permalink.DAY_AND_NAME: "Day and name",
    Permalink.MONTH_AND_NAME: "Month and name",
    Permalink.POST_NAME: "Post name",
    Permalink.NUMERIC: "Numeric",
}
FIELDSETS = [
    ("General", ["title", "tagline", "posts_per_page", "permalink_structure"]),
    (
        "Comments",
        [
            "comment_moderation",
            "comment_depth",
            "comments_per_page",
            "comment_order",
            "close_comments_after_days",
            "comment_max_links",
            "moderation_keys",
            "disallowed_keys",
            "comment_rate_per_ip",
            "comment_rate_per_email",
            "notify_authors",
            "ip_retention_days",
        ],
    ),
    ("Avatars", ["avatar_service"]),
]
# (smallest, largest) a number may be; the database would take up to 32767.
LIMITS = {
    "posts_per_page": (1, 100),
    "comment_depth": (1, 10),
    "comments_per_page": (0, 1000),
    "close_comments_after_days": (0, 36500),
    "comment_max_links": (0, 100),
    "comment_rate_per_ip": (1, 1000),
    "comment_rate_per_email": (1, 1000),
    "ip_retention_days": (1, 3650),
}


class SiteSettingsForm(DescribedErrorsMixin, forms.ModelForm):
    class Meta:
        model = SiteSettings
        fields = [name for _legend, names in FIELDSETS for name in names]
        labels = {
            "tagline": "Tagline",
            "comment_moderation": "Moderation",
            "comment_depth": "Reply depth",
            "comments_per_page": "Threads per page",
            "comment_order": "Order",
            "close_comments_after_days": "Close comments after (days)",
            "comment_max_links": "Most links in a comment",
            "moderation_keys": "Hold comments containing",
            "disallowed_keys": "Mark as spam comments containing",
            "comment_rate_per_ip": "Comments accepted per hour from one IP address",
            "comment_rate_per_email": "Comments accepted per hour from one email address",
            "notify_authors": "Email the post's authors about each new comment",
            "ip_retention_days": "Keep commenters' IP addresses for (days)",
            "avatar_service": "Commenters' avatars",
        }
        help_texts = {
            "title": "Shown in the header, the browser tab, feeds and emails.",
            "tagline": "A few words under the title.",
            "permalink_structure": "Old addresses keep working: they answer 301 to the new one.",
            "notify_authors": "Each author can also turn these emails off in their profile.",
            "comment_rate_per_ip": "",
            "comment_rate_per_email": "",
        }
        widgets = {
            "permalink_structure": forms.RadioSelect,
            "comment_moderation": forms.RadioSelect,
            "comment_order": forms.RadioSelect,
            "avatar_service": forms.RadioSelect,
            "moderation_keys": forms.Textarea(attrs={"rows": 4}),
            "disallowed_keys": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        permalink = self.fields["permalink_structure"]
        assert isinstance(permalink, forms.ChoiceField)
        permalink.choices = list(PERMALINK_NAMES.items())
        for name, (low, high) in LIMITS.items():
            field = self.fields[name]
            bounds = (MinValueValidator, MaxValueValidator)
            field.validators = [v for v in field.validators if not isinstance(v, bounds)]
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]
            field.widget.attrs.update(min=low, max=high)

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in FIELDSETS]

    def permalink_options(self) -> list[dict[str, Any]]:
        """Each permalink radio with the address a post would get under it."""
        return [
            {"radio": radio, "example": settings.SITE_URL + Permalink(radio.data["value"]).label}
            for radio in self["permalink_structure"]
        ]


@dashboard_view(permission="posts.change_sitesettings")
def site_settings(request: HttpRequest) -> HttpResponse:
    instance, _ = SiteSettings.objects.get_or_create(pk=1)  # the row itself, not the cache
    form = SiteSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Settings saved. Every page uses them from now on.")
        return redirect("dashboard:settings")
    context = {"form": form, "time_zone": settings.TIME_ZONE}
    return render(request, "dashboard/accounts/site_settings_form.html", context)
