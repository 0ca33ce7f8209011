"""Email tests: a real SMTP server (aiosmtpd) and the real task worker over the database
queue, so these tests run with `transactional_db` (see pressbox.lib.tests.smtp)."""

from datetime import UTC, datetime

import pytest

from pressbox.accounts.factories import AuthorProfileFactory
from pressbox.comments import protection
from pressbox.lib.tests.smtp import smtp  # noqa: F401  (a fixture)
from pressbox.posts.factories import PostFactory


@pytest.fixture
def coauthors(transactional_db):
    return [
        AuthorProfileFactory(user__username="maya", user__email="maya@pressbox.example").user,
        AuthorProfileFactory(user__username="tomas", user__email="tomas@pressbox.example").user,
    ]


@pytest.fixture
def post(coauthors):
    return PostFactory(
        title="Stronger Knees",
        slug="knees",
        published_at=datetime(2024, 5, 14, tzinfo=UTC),
        authors=coauthors,
    )


@pytest.fixture
def submit(client, post):
    """Post a comment through the public form, as a reader would, after the minimum delay."""

    def submit(client=client, **fields):
        data = {
            "comment": "Loved the squat tips, thanks!",
            "name": "Ann Reader",
            "email": "ann@example.net",
            "url": "https://ann.example/",
            "timestamp": protection.form_token(post.pk, aged=True),
            **fields,
        }
        return client.post(f"/comments/post/{post.pk}/", data, REMOTE_ADDR="198.51.100.23")

    return submit
