"""SiteSettings.avatar_service on the post page: local identicons unless the owner opts in."""

import hashlib
import re

import pytest
from django.conf import settings

from pressbox.comments.factories import CommentFactory
from pressbox.lib.tests.html import select


def image_sources(html):
    return [img.attrs["src"] for img in select(html, "img")]


def fetched_from_other_hosts(html):
    """Addresses the browser would load by itself (images, scripts, stylesheets) that
    are on another host; links a reader may click do not count."""
    loaded = [e.attrs.get("src", "") for e in select(html, "img") + select(html, "script")]
    loaded += [e.attrs.get("href", "") for e in select(html, "link")]
    own = settings.SITE_URL + "/"  # the canonical link names the site itself
    return [url for url in loaded if re.match(r"(?:https?:)?//", url) and not url.startswith(own)]


def test_by_default_every_avatar_is_drawn_here_and_no_other_host_is_asked(client, post):
    CommentFactory(post=post, author_email="ann@example.net")
    html = client.get("/2024/05/knees/").text
    sources = image_sources(html)
    assert sources and all(src.startswith("/avatar/") for src in sources)
    assert fetched_from_other_hosts(html) == []


@pytest.mark.parametrize(
    ("service", "prefix", "digest"),
    [
        ("gravatar", "https://www.gravatar.com/avatar/", hashlib.md5),
        ("libravatar", "https://seccdn.libravatar.org/avatar/", hashlib.sha256),
    ],
)
def test_opting_in_uses_the_service_for_commenters_and_authors(
    client, post, site_settings, service, prefix, digest
):
    site_settings.avatar_service = service
    site_settings.save()
    CommentFactory(post=post, author_email="Ann@Example.net")
    author = post.authors.get()
    sources = image_sources(client.get("/2024/05/knees/").text)
    assert f"{prefix}{digest(b'ann@example.net').hexdigest()}?d=identicon&s=96" in sources
    assert f"{prefix}{digest(author.email.encode()).hexdigest()}?d=identicon&s=96" in sources
    assert not [src for src in sources if src.startswith("/avatar/")]


def test_an_uploaded_author_avatar_wins_over_the_service(post, site_settings):
    site_settings.avatar_service = "gravatar"
    site_settings.save()
    profile = post.authors.get().profile
    profile.avatar.name = "avatars/me.png"
    assert profile.avatar_url.endswith("/media/avatars/me.png")
