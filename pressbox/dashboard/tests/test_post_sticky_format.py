"""Sticky posts and imported HTML posts through the editor."""

from datetime import UTC, datetime, timedelta

from pressbox.dashboard.tests.posts_helpers import sign_in
from pressbox.dashboard.tests.test_post_edit import edit_data
from pressbox.lib.tests.html import select, select_one
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post

MAY = datetime(2024, 5, 1, tzinfo=UTC)


def home_titles(client):
    return [h.text for h in select(client.get("/").text, "h2", class_="entry-title")]


def test_an_editor_sticks_a_post_to_the_top_of_the_home_page(client, db):
    editor = sign_in(client, "editor")
    post = PostFactory(title="Start here", authors=[editor], published_at=MAY)
    PostFactory(title="Newer", published_at=MAY + timedelta(days=3))
    data = edit_data(post, sticky="on", action="update")
    response = client.post(f"/dashboard/posts/{post.pk}/edit/", data)
    assert response.status_code == 302
    assert Post.objects.get(pk=post.pk).sticky
    client.logout()
    assert home_titles(client) == ["Start here", "Newer"]


def test_an_imported_html_post_stays_html_when_edited(client, db):
    editor = sign_in(client, "editor")
    post = PostFactory(
        title="Imported",
        authors=[editor],
        body="<p>Kept *as* <strong>HTML</strong></p>",
        body_format=Post.Format.HTML,
    )
    page = client.get(f"/dashboard/posts/{post.pk}/edit/").text
    assert select_one(page, "input", name="body_format").attrs["value"] == "html"
    assert "HTML, as it was imported" in page
    data = edit_data(post, body="<p>Still *as* <em>HTML</em></p>", body_format="html")
    response = client.post(f"/dashboard/posts/{post.pk}/edit/", {**data, "action": "update"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body_format == Post.Format.HTML
    assert post.body_html == "<p>Still *as* <em>HTML</em></p>"
