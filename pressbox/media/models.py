"""Media: the images writers upload, their alt text and their responsive variants.

A Media row is one uploaded original; the background queue makes resized variants
(WebP and the original format) listed in `variants`, which the Markdown renderer
turns into `srcset`. An image cannot be deleted while a post or page uses it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Media(models.Model):
    file = models.ImageField(upload_to="uploads/%Y/%m/", width_field="width", height_field="height")
    alt_text = models.CharField(
        max_length=500, help_text="Describe the image for people who cannot see it."
    )
    title = models.CharField(max_length=300, blank=True)
    caption = models.TextField(blank=True)
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    mime_type = models.CharField(max_length=50, editable=False)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    # [{"width": 640, "height": 427, "format": "webp", "name": "uploads/…-640.webp"}, …]
    variants = models.JSONField(default=list, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    import_ref = models.CharField(max_length=200, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "media"

    def __str__(self) -> str:
        return self.title or self.file.name
