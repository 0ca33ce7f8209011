"""Forms of the media pages in the dashboard; the checks on the file itself are in
pressbox.media.validation, run by the upload service."""

from __future__ import annotations

from django import forms

from pressbox.media.models import Media
from pressbox.media.validation import ALT_REQUIRED, FORMATS, NOT_AN_IMAGE

ACCEPT = ",".join(mime for mime, _extension in FORMATS.values())
ALT_HELP = "What the image shows, for people who cannot see it; screen readers read it aloud."


class MediaUploadForm(forms.Form):
    file = forms.FileField(
        label="Image",
        help_text="JPEG, PNG, GIF or WebP.",
        error_messages={"required": "Choose an image to upload.", "empty": NOT_AN_IMAGE},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    alt_text = forms.CharField(
        label="Alt text",
        max_length=500,
        help_text=ALT_HELP,
        error_messages={"required": ALT_REQUIRED},
    )
    title = forms.CharField(
        max_length=300, required=False, help_text="For finding it in the library; optional."
    )


class MediaForm(forms.ModelForm):
    class Meta:
        model = Media
        fields = ["alt_text", "title", "caption"]
        labels = {"alt_text": "Alt text"}
        help_texts = {
            "alt_text": ALT_HELP,
            "caption": "A note kept with the image, such as its source or credit.",
        }
        error_messages = {"alt_text": {"required": ALT_REQUIRED}}
        widgets = {"caption": forms.Textarea(attrs={"rows": 3})}
