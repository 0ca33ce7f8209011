"""/dashboard/posts/tags/?q=: tag names for the editor's autocomplete."""

from pressbox.dashboard.tests.posts_helpers import sign_in
from pressbox.posts.factories import TagFactory


def test_tags_starting_with_the_text_come_first(client, db):
    sign_in(client, "contributor")
    for name in ("front squat", "squat", "squat rack", "bench"):
        TagFactory(name=name, slug=name.replace(" ", "-"))
    response = client.get("/dashboard/posts/tags/?q=squ")
    assert response.json() == {"tags": ["squat", "squat rack", "front squat"]}


def test_an_empty_query_suggests_nothing(client, db):
    sign_in(client, "contributor")
    TagFactory(name="squat")
    assert client.get("/dashboard/posts/tags/?q=").json() == {"tags": []}


def test_at_most_ten_tags_are_suggested(client, db):
    sign_in(client, "author")
    for n in range(15):
        TagFactory(name=f"lift {n:02d}", slug=f"lift-{n}")
    assert len(client.get("/dashboard/posts/tags/?q=lift").json()["tags"]) == 10


def test_anonymous_visitors_get_no_tags(client, db):
    TagFactory(name="squat")
    assert client.get("/dashboard/posts/tags/?q=s").status_code == 302
