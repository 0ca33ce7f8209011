"""Sites for the backup and restore tests: one source site with posts, threaded
comments, a held comment, media, changed settings and a draft, backed up once per run."""

from __future__ import annotations

import pytest

from pressbox.tests.backup.sites import Site

BUILD = """
import io
from django.core.management import call_command
from PIL import Image
from django.core.files.base import ContentFile
from django.utils import timezone
from pressbox.comments.models import Comment
from pressbox.media.models import Media
from pressbox.posts.models import Post, SiteSettings
from pressbox.posts.views.preview import preview_url

call_command("demo")
buffer = io.BytesIO()
Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, "JPEG")
image = Media.objects.create(
    file=ContentFile(buffer.getvalue(), name="red plate é.jpg"),
    alt_text="A red plate", mime_type="image/jpeg", size=len(buffer.getvalue()),
)
post = Post.objects.filter(comments__parent__isnull=False).distinct().first()
post.featured_image = image
post.save()
Comment.objects.create(
    post=post, author_name="Held Back", author_email="held@example.net",
    body="Waiting for a moderator", status=Comment.Status.PENDING, created_at=timezone.now(),
)
site = SiteSettings.load()
site.title = "Restored Strength"
site.save()
draft = Post.objects.create(title="Unfinished", slug="unfinished", body="Soon.", status="draft")
category = post.categories.first()
result = {
    "post": post.get_absolute_url(),
    "post_feed": post.get_absolute_url() + "feed/",
    "category": category.get_absolute_url(),
    "year": f"/{timezone.localtime(post.published_at).year}/",
    "preview": preview_url(draft),
}
"""


@pytest.fixture(scope="session")
def source(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("source"), "src")
    try:
        site.ok("migrate", "--noinput")
        site.urls = site.python(BUILD)
        yield site
    finally:
        site.drop()


@pytest.fixture(scope="session")
def archive(source, tmp_path_factory):
    path = tmp_path_factory.mktemp("backups") / "site.tar.gz"
    out = source.ok("backup", str(path))
    assert "Wrote" in out
    return path


@pytest.fixture
def target(tmp_path):
    """A new, empty site to restore into."""
    site = Site(tmp_path, "dst")
    yield site
    site.drop()
