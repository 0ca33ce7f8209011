"""Accounts: the custom User and each author's public profile.

A User signs in; an AuthorProfile is what readers see of them (name, bio, avatar,
website) in author boxes and at /author/<username>/. Roles (administrator, editor,
author, contributor) arrive as Groups with the dashboard.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from pressbox.lib.avatars import avatar_url
from pressbox.lib.markup import render_markdown
from pressbox.lib.reversing import reverse_cached


class User(AbstractUser):
    """Pressbox's user, custom from day one so it can grow without a migration dance."""

    @property
    def display_name(self) -> str:
        profile = getattr(self, "profile", None)
        if profile and profile.display_name:
            return profile.display_name
        return self.get_full_name() or self.username


class AuthorProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True, help_text="Markdown.")
    bio_html = models.TextField(blank=True, editable=False)
    website = models.URLField(blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    notify_comments = models.BooleanField(
        default=True, help_text="Email me when a post of mine gets a comment."
    )

    class Meta:
        verbose_name = "author profile"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.bio_html = render_markdown(self.bio)
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return self.display_name or self.user.get_full_name() or self.user.username

    def get_absolute_url(self) -> str:
        return reverse_cached("posts:author", username=self.user.username)

    @property
    def avatar_url(self) -> str:
        """The uploaded image, else the site's avatar service for the author's email (an
        identicon drawn here unless the owner opted in to Gravatar or Libravatar)."""
        if self.avatar:
            return self.avatar.url
        from pressbox.posts.models import SiteSettings  # posts depends on accounts

        return avatar_url(
            self.user.email or self.user.username, service=SiteSettings.load().avatar_service
        )
