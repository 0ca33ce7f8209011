"""Shared test set-up: an isolated data dir and cache, plus a small cast of users."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test gets its own media dir, an in-memory cache and plain static storage."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
        }
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_page_cache(settings):
    """Every request renders: for tests that count the queries of a render."""
    settings.PRESSBOX_PAGE_CACHE = False


@pytest.fixture
def author(db):
    from pressbox.accounts.factories import AuthorProfileFactory

    return AuthorProfileFactory(user__username="umer", display_name="Umer's Fitness").user


@pytest.fixture
def admin_user_client(client, db):
    from pressbox.accounts.models import User

    admin = User.objects.create_superuser("admin", "admin@example.com", "a-long-passphrase-9")
    client.force_login(admin)
    return client


@pytest.fixture
def site_settings(db):
    """The blog's SiteSettings row; change fields and call .save() to apply them."""
    from pressbox.posts.models import SiteSettings

    return SiteSettings.load()
