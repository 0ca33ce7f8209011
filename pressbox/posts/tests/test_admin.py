"""The Django admin's post list: search and filters load for a superuser."""

from pressbox.lib.tests.html import select
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post


def test_post_list_searches_by_title_and_body(admin_user_client, db):
    PostFactory(title="Squat depth")
    PostFactory(title="Rowing form")
    response = admin_user_client.get("/admin/posts/post/", {"q": "depth"})
    assert response.status_code == 200
    rows = [a.text for a in select(response.text, "a") if a.inside("th", class_="field-title")]
    assert rows == ["Squat depth"]


def test_post_list_filters_by_status(admin_user_client, db):
    PostFactory(title="Live one")
    PostFactory(title="Still a draft", status=Post.Status.DRAFT)
    response = admin_user_client.get("/admin/posts/post/", {"status__exact": "draft"})
    assert response.status_code == 200
    rows = [a.text for a in select(response.text, "a") if a.inside("th", class_="field-title")]
    assert rows == ["Still a draft"]


def test_post_list_is_closed_to_anonymous_visitors(client, db):
    response = client.get("/admin/posts/post/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
