"""Comments: threaded replies to posts, and whether a reader may see them.

A Comment belongs to a post and optionally to a parent comment (threads). Its email,
IP address and user agent are private: no template, feed or log line shows them; the
avatar comes from a salted hash of the email. Moderation decides the status on submit
(`pressbox.comments.moderation`); `Comment.objects.approved()` is what readers see.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from pressbox.lib.avatars import avatar_key
from pressbox.lib.markup import render_comment
from pressbox.posts.models import Post


class CommentQuerySet(models.QuerySet):
    def approved(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.APPROVED)

    def awaiting_moderation(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.PENDING)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        TRASH = "trash", "Trash"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    author_name = models.CharField(max_length=200)
    author_email = models.EmailField(max_length=254)
    author_url = models.URLField(max_length=500, blank=True)
    body = models.TextField()
    body_html = models.TextField(editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    status_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    avatar_key = models.CharField(max_length=32, editable=False)
    import_ref = models.CharField(max_length=200, blank=True, db_index=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["post", "status", "created_at"]),
            models.Index(fields=["author_email", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.post}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.body_html = render_comment(self.body)
        self.avatar_key = avatar_key(self.author_email)
        super().save(*args, **kwargs)

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    def get_absolute_url(self) -> str:
        return f"{self.post.get_absolute_url()}#{self.anchor}"

    @property
    def avatar_url(self) -> str:
        return reverse("avatar", kwargs={"key": self.avatar_key})

    def moderation_hash(self) -> str:
        """Proof, given only to the commenter, that lets them see their held comment."""
        return salted_hmac(
            "pressbox.comment-held", f"{self.pk}:{self.created_at.isoformat()}"
        ).hexdigest()[:20]

    def check_moderation_hash(self, value: str) -> bool:
        return constant_time_compare(self.moderation_hash(), value or "")
