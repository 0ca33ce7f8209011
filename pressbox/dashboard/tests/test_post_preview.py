"""POST /dashboard/posts/preview/: the unsaved text as the published page shows it."""

from pressbox.dashboard.tests.posts_helpers import form_data, person, sign_in
from pressbox.lib.markup import render_markdown
from pressbox.lib.tests.html import select, select_one
from pressbox.posts.factories import CategoryFactory, TagFactory
from pressbox.posts.models import Category, Post, Tag


def test_the_preview_is_the_public_post_page_for_the_unsaved_text(client, db):
    sign_in(client, "contributor")
    body = "It's *heavy* -- brace.\n\n- one\n- two\n"
    response = client.post("/dashboard/posts/preview/", form_data(body=body))
    assert response.status_code == 200
    assert [t.name for t in response.templates][:1] == ["posts/post_detail.html"]
    assert render_markdown(body) in response.text
    assert select_one(response.text, "h1", class_="entry-title").text == "Deadlift cues"
    assert not Post.objects.exists()


def test_the_preview_shows_authors_categories_and_tags_without_saving_them(client, db):
    sign_in(client, "editor", "umer")
    person("author", "maya")
    category = CategoryFactory(name="Training")
    TagFactory(name="grip", slug="grip")
    response = client.post(
        "/dashboard/posts/preview/",
        form_data(
            authors="maya, umer",
            categories=[str(category.pk)],
            new_category="Mobility",
            tags="grip, brand new",
        ),
    )
    text = response.text
    boxes = [a.attrs["href"] for a in select(text, "a", rel="author")]
    assert boxes == ["/author/maya/", "/author/umer/"]
    assert ">Training</a>" in text and ">Mobility</a>" in text
    assert ">grip</a>" in text and ">brand new</a>" in text
    assert not Category.objects.filter(name="Mobility").exists()
    assert not Tag.objects.filter(name="brand new").exists()


def test_a_preview_with_errors_still_renders(client, db):
    sign_in(client, "author")
    response = client.post("/dashboard/posts/preview/", form_data(title="", slug="bad slug"))
    assert response.status_code == 200
    assert "(no title)" in response.text


def test_the_preview_cannot_run_scripts_or_send_forms(client, db):
    sign_in(client, "author")
    response = client.post("/dashboard/posts/preview/", form_data(body="<script>x()</script>"))
    assert response["Content-Security-Policy"] == "sandbox; form-action 'none'"
    assert "noindex" in response["X-Robots-Tag"]
    assert "<script>x()" not in response.text


def test_the_preview_is_only_for_signed_in_writers(client, db):
    response = client.post("/dashboard/posts/preview/", form_data())
    assert response["Location"].startswith("/dashboard/login/")


def test_the_preview_answers_only_post(client, db):
    sign_in(client, "author")
    assert client.get("/dashboard/posts/preview/").status_code == 405
