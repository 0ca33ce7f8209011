"""A published post to comment on, and the form data a reader would type."""

from datetime import UTC, datetime

import pytest

from pressbox.posts.factories import PostFactory


@pytest.fixture
def post(db):
    return PostFactory(
        title="Stronger Knees", slug="knees", published_at=datetime(2024, 5, 14, tzinfo=UTC)
    )


@pytest.fixture
def typed():
    """What a first-time reader types into "Leave a Reply"."""
    return {
        "comment": "Loved the *squat* tips -- thanks!",
        "name": "Ann Reader",
        "email": "Ann@Example.net",
        "url": "https://ann.example/",
    }
