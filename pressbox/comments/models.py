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
from django.utils.crypto import constant_time_compare, salted_hmac

from pressbox.lib.avatars import avatar_key, avatar_url
from pressbox.lib.markup import render_comment
from pressbox.posts.models import Post, SiteSettings


class CommentQuerySet(models.QuerySet):
    def approved(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.APPROVED)

    def awaiting_moderation(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.PENDING)


class Comment(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        PINGBACK = "pingback", "Pingback"
        TRACKBACK = "trackback", "Trackback"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        TRASH = "trash", "Trash"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The top-level comment of the thread (None for a top-level comment): comment pages
    # are cut by thread, and this finds a thread's comments in one query.
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+", editable=False
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COMMENT)
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
    spam_score = models.FloatField(
        null=True, blank=True, help_text="The classifier's probability that this is spam."
    )
    # What the classifier last learnt from this comment ("spam", "ham" or ""), so that a
    # moderator changing their mind un-learns it first.
    trained_as = models.CharField(max_length=4, blank=True, editable=False)
    notify_replies = models.BooleanField(default=False)
    created_at = models.DateTimeField(db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    avatar_key = models.CharField(max_length=32, editable=False)
    import_ref = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    meta = models.JSONField(default=dict, blank=True)

    objects = CommentQuerySet.as_manager()

    # What a comment page shows, worked out once per page by pressbox.comments.pages.dress.
    avatar_src: str
    shown_name: str
    shown_at: str
    iso_at: str

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["post", "status", "created_at"]),
            models.Index(fields=["author_email", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.post}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The form only accepts http(s) websites, but imports do not go through it: a
        # javascript: or data: address must never become a link on the page.
        if self.author_url and not self.author_url.lower().startswith(("http://", "https://")):
            self.author_url = ""
        self.body_html = render_comment(self.body)
        self.avatar_key = avatar_key(self.author_email)
        if self.parent_id is None:
            self.root = None
        elif self.parent is not None:
            self.root_id = self.parent.root_id or self.parent_id
        super().save(*args, **kwargs)

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    def get_absolute_url(self) -> str:
        """The post page that shows this comment's thread, then its anchor.

        Costs two queries (`pressbox.comments.pages.comment_pages`): for emails and one
        comment at a time; feeds place many comments at once.
        """
        from pressbox.comments.pages import comment_url

        return comment_url(self)

    @property
    def avatar_url(self) -> str:
        return avatar_url(
            self.author_email, key=self.avatar_key, service=SiteSettings.load().avatar_service
        )

    def moderation_hash(self) -> str:
        """Proof, given only to the commenter, that lets them see their held comment."""
        return salted_hmac(
            "pressbox.comment-held", f"{self.pk}:{self.created_at.isoformat()}"
        ).hexdigest()[:20]

    def check_moderation_hash(self, value: str) -> bool:
        return constant_time_compare(self.moderation_hash(), value or "")


class ReplySubscriber(models.Model):
    """An email address that asked to hear of replies, and whether it confirmed.

    Double opt-in: ticking "Notify me of replies" sends one confirmation email; only a
    confirmed address that has not unsubscribed is ever told of a reply.
    """

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class SpamToken(models.Model):
    """How often a word was seen in spam and in good comments (the Bayes classifier)."""

    token = models.CharField(max_length=64, unique=True)
    spam_count = models.PositiveIntegerField(default=0)
    ham_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.token


class SpamFilterState(models.Model):
    """How many spam and good comments the classifier has learnt from (one row)."""

    spam_documents = models.PositiveIntegerField(default=0)
    ham_documents = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.spam_documents} spam, {self.ham_documents} good"
