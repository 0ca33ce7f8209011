"""/dashboard/posts/<id>/autosave/ and /dashboard/posts/autosave/: text kept, post untouched."""

from datetime import UTC, datetime

import time_machine

from pressbox.dashboard.tests.posts_helpers import form_data, person, sign_in
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post, PostRevision


def test_autosave_keeps_a_revision_and_leaves_the_live_post_alone(client, db, settings):
    settings.TIME_ZONE = "Europe/Paris"
    me = sign_in(client, "author")
    post = PostFactory(body="Live words.", authors=[me])
    moment = datetime(2025, 3, 1, 11, 3, tzinfo=UTC)
    with time_machine.travel(moment):
        response = client.post(
            f"/dashboard/posts/{post.pk}/autosave/", form_data(body="Half a thought")
        )
    assert response.status_code == 200
    assert response.json()["saved_at_display"] == "12:03"
    revision = PostRevision.objects.get(post=post)
    assert (revision.kind, revision.body, revision.by) == ("autosave", "Half a thought", me)
    assert Post.objects.get(pk=post.pk).body == "Live words."


def test_repeated_autosaves_refresh_one_revision(client, db):
    me = sign_in(client, "author")
    post = PostFactory(authors=[me])
    for body in ("One", "Two", "Three"):
        client.post(f"/dashboard/posts/{post.pk}/autosave/", form_data(body=body))
    assert list(PostRevision.objects.values_list("body", flat=True)) == ["Three"]


def test_the_first_autosave_of_a_new_post_creates_a_draft(client, db):
    me = sign_in(client, "contributor")
    response = client.post("/dashboard/posts/autosave/", form_data(title="Started"))
    assert response.status_code == 201
    post = Post.objects.get()
    assert response.json()["edit_url"] == f"/dashboard/posts/{post.pk}/edit/"
    assert response.json()["autosave_url"] == f"/dashboard/posts/{post.pk}/autosave/"
    assert response.json()["version"] == post.version
    assert (post.title, post.status) == ("Started", "draft")
    assert [pa.author for pa in post.post_authors.all()] == [me]


def test_a_new_post_without_a_title_is_not_autosaved_yet(client, db):
    sign_in(client, "author")
    response = client.post("/dashboard/posts/autosave/", form_data(title=""))
    assert response.status_code == 400
    assert response.json()["error"] == "Not autosaved: Give the post a title."
    assert not Post.objects.exists()


def test_someone_elses_post_is_not_autosaved(client, db):
    sign_in(client, "author")
    post = PostFactory(authors=[person("author", "maya")])
    response = client.post(f"/dashboard/posts/{post.pk}/autosave/", form_data(body="Mine"))
    assert response.status_code == 403
    assert not PostRevision.objects.exists()


def test_an_expired_session_gets_the_login_redirect(client, db):
    post = PostFactory()
    response = client.post(f"/dashboard/posts/{post.pk}/autosave/", form_data())
    assert response.status_code == 302
    assert response["Location"].startswith("/dashboard/login/")
    assert not PostRevision.objects.exists()


def test_an_editor_autosaves_anyones_post(client, db):
    me = sign_in(client, "editor")
    post = PostFactory(authors=[person("author", "maya")])
    client.post(f"/dashboard/posts/{post.pk}/autosave/", form_data(body="Edited"))
    assert PostRevision.objects.get().by == me
