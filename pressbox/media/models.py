"""Media: the images writers upload, their alt text and their responsive variants.

A Media row is one uploaded original; the background queue makes resized variants
(WebP and the original format) listed in `variants`, which the Markdown renderer
turns into `srcset`. An image cannot be deleted while a post or page uses it.

Upload, variants and deletion are workflows in `pressbox.media.services`; the step
that adds `srcset` to rendered posts is `pressbox.media.rendering`, and who may change
an image is `pressbox.media.permissions`. Dashboard pages live in pressbox.dashboard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from pressbox.posts.models import Publishable


class MediaQuerySet(models.QuerySet):
    def search(self, query: str) -> MediaQuerySet:
        """Images whose alt text, title or caption mention `query`."""
        query = query.strip()
        if not query:
            return self
        return self.filter(
            models.Q(alt_text__icontains=query)
            | models.Q(title__icontains=query)
            | models.Q(caption__icontains=query)
        )


class Media(models.Model):
    file = models.ImageField(
        upload_to="uploads/%Y/%m/", width_field="width", height_field="height", db_index=True
    )
    alt_text = models.CharField(
        max_length=500, help_text="Describe the image for people who cannot see it."
    )
    title = models.CharField(max_length=300, blank=True)
    caption = models.TextField(blank=True)
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    mime_type = models.CharField(max_length=50, editable=False)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    # [{"width": 640, "height": 427, "format": "webp", "name": "uploads/…-640w.webp",
    #   "bytes": 31415}, …]
    variants = models.JSONField(default=list, blank=True, editable=False)
    # When the background queue finished the variants (None: still waiting).
    variants_made_at = models.DateTimeField(null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    import_ref = models.CharField(max_length=200, blank=True, db_index=True, editable=False)

    objects = MediaQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "media"

    def __str__(self) -> str:
        return self.title or self.file.name

    @property
    def url(self) -> str:
        return self.file.url

    @property
    def format(self) -> str:
        """Pillow's format name, lower case: jpeg, png, gif or webp."""
        return self.mime_type.partition("/")[2]

    @property
    def markdown(self) -> str:
        """What a writer pastes into a post to show this image."""
        alt = " ".join(self.alt_text.split())
        for char in "\\[]":
            alt = alt.replace(char, "\\" + char)
        return f"![{alt}]({self.url})"

    def variants_in(self, fmt: str) -> list[dict[str, Any]]:
        """The variants in one format (jpeg, png, gif, webp), narrowest first."""
        found = [v for v in self.variants if v.get("format") == fmt]
        return sorted(found, key=lambda v: v["width"])

    def picture_url(self, max_width: int = 320) -> str:
        """The widest variant at most `max_width` wide (WebP first), else the original."""
        fitting = [v for v in self.variants if v["width"] <= max_width]
        if not fitting:
            return self.url
        best = max(fitting, key=lambda v: (v["width"], v["format"] == "webp"))
        return self.file.storage.url(best["name"])

    def thumbnail_url(self) -> str:
        return self.picture_url(320)

    def preview_url(self) -> str:
        return self.picture_url(960)

    def reference_marks(self) -> list[str]:
        """Text that appears in a post body that shows this image or one of its variants.

        Names end in a hash, and variants add `-<width>w`, so `<stem>.` and `<stem>-`
        match this image and no other.
        """
        stem = self.file.name.rsplit(".", 1)[0]
        return [f"{settings.MEDIA_URL}{stem}.", f"{settings.MEDIA_URL}{stem}-"]

    def usages(self) -> list[Publishable]:
        """Posts, then pages, that show this image in their body or as featured image."""
        from pressbox.posts.models import Page, Post

        in_body = models.Q()
        for mark in self.reference_marks():
            in_body |= models.Q(body__contains=mark)
        posts = in_body
        if any(f.name == "featured_image" for f in Post._meta.get_fields()):
            posts |= models.Q(featured_image=self)
        return [
            *Post.objects.filter(posts).order_by("-pk").distinct(),
            *Page.objects.filter(in_body).order_by("title"),
        ]
