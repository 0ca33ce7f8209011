"""A published post to comment on, and the form data a reader would type."""

from datetime import UTC, datetime

import pytest

from pressbox.comments.protection import form_token
from pressbox.posts.factories import PostFactory


@pytest.fixture
def post(db):
    return PostFactory(
        title="Stronger Knees", slug="knees", published_at=datetime(2024, 5, 14, tzinfo=UTC)
    )


@pytest.fixture
def typed(post):
    """What a first-time reader types into "Leave a Reply" on `post`, with the form's
    signed timestamp old enough to be accepted (protection.py)."""
    return {
        "comment": "Loved the *squat* tips -- thanks!",
        "name": "Ann Reader",
        "email": "Ann@Example.net",
        "url": "https://ann.example/",
        "timestamp": form_token(post.pk, aged=True),
    }
