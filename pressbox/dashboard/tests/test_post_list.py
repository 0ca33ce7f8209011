"""/dashboard/posts/: one's posts (everyone's for editors), by status, searchable, paged."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pressbox.comments.factories import CommentFactory
from pressbox.dashboard.tests.posts_helpers import person, sign_in
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post


def test_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get("/dashboard/posts/")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/login/?next=/dashboard/posts/"


@pytest.mark.parametrize("role", ["contributor", "author"])
def test_writers_see_only_their_own_posts(client, db, role):
    me = sign_in(client, role)
    PostFactory(title="Mine", authors=[me])
    PostFactory(title="Someone else's")
    response = client.get("/dashboard/posts/")
    assert response.status_code == 200
    assert "Mine" in response.text
    assert "Someone else" not in response.text


@pytest.mark.parametrize("role", ["editor", "administrator"])
def test_editors_see_everyones_posts(client, db, role):
    sign_in(client, role)
    PostFactory(title="Maya's post", authors=[person("author", "maya")])
    PostFactory(title="Tomas's post", authors=[person("author", "tomas")])
    response = client.get("/dashboard/posts/")
    assert "Maya’s post" in response.text and "Tomas’s post" in response.text


def test_the_posts_item_appears_in_the_dashboard_navigation(client, db):
    sign_in(client, "contributor")
    response = client.get("/dashboard/")
    assert '<a href="/dashboard/posts/">Posts</a>' in response.text


def test_tabs_count_posts_by_status_and_filter_the_list(client, db):
    me = sign_in(client, "author")
    PostFactory(title="Live one", authors=[me])
    PostFactory(title="Draft one", status=Post.Status.DRAFT, published_at=None, authors=[me])
    PostFactory(
        title="Later one",
        published_at=timezone.now() + timedelta(days=1),
        authors=[me],
    )
    response = client.get("/dashboard/posts/?status=scheduled")
    assert 'aria-current="page">Scheduled <span class="count">(1)</span>' in response.text
    assert 'Published <span class="count">(1)</span>' in response.text
    assert 'All <span class="count">(3)</span>' in response.text
    assert [p.title for p in response.context["page"]] == ["Later one"]


def test_a_scheduled_post_whose_time_came_is_listed_as_published(client, db):
    me = sign_in(client, "author")
    post = PostFactory(title="Was scheduled", authors=[me])
    Post.objects.filter(pk=post.pk).update(status=Post.Status.SCHEDULED)
    response = client.get("/dashboard/posts/?status=published")
    assert [p.title for p in response.context["page"]] == ["Was scheduled"]


def test_search_finds_posts_by_title(client, db):
    me = sign_in(client, "author")
    PostFactory(title="Squat depth", authors=[me])
    PostFactory(title="Bench setup", authors=[me])
    response = client.get("/dashboard/posts/?q=squat")
    assert [p.title for p in response.context["page"]] == ["Squat depth"]
    assert 'value="squat"' in response.text


def test_columns_show_authors_status_date_and_approved_comments(client, db):
    me = sign_in(client, "author")
    post = PostFactory(title="Talked about", authors=[me, person("author", "maya")])
    CommentFactory(post=post)
    CommentFactory(post=post, status="pending")
    response = client.get("/dashboard/posts/")
    row = response.text.split("Talked about", 1)[1].split("</tr>", 1)[0]
    assert "Sam Writer" in row and "Published" in row
    assert '<td class="num">1</td>' in row


def test_the_list_is_paged(client, db):
    me = sign_in(client, "author")
    for n in range(25):
        PostFactory(title=f"Post {n}", authors=[me])
    response = client.get("/dashboard/posts/?page=2")
    assert len(response.context["page"].object_list) == 5
    assert "Page 2 of 2" in response.text


def test_the_new_post_button_leads_to_the_editor(client, db):
    sign_in(client, "contributor")
    response = client.get("/dashboard/posts/")
    assert '<a class="button primary" href="/dashboard/posts/new/">New post</a>' in response.text


def _queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_posts(client, db):
    me = sign_in(client, "editor")
    for _ in range(3):
        post = PostFactory(authors=[me, person("author", "maya")])
        CommentFactory(post=post)
    few = _queries(client, "/dashboard/posts/")
    for _ in range(27):
        PostFactory(authors=[me])
    assert _queries(client, "/dashboard/posts/") == few
