"""/dashboard/comments/: the moderation queue, its tabs, search, rows and paging."""

import re

import pytest

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import SpamFilterState
from pressbox.dashboard.tests.posts_helpers import sign_in
from pressbox.posts.factories import PostFactory


def names(response):
    return [row["comment"].author_name for row in response.context["rows"]]


def test_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get("/dashboard/comments/")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/login/?next=/dashboard/comments/"


@pytest.mark.parametrize("role", ["editor", "administrator"])
def test_moderators_see_the_pending_comments_first(client, db, role):
    sign_in(client, role)
    CommentFactory(author_name="Ann", body="Loved the *squat* tips", status="pending")
    CommentFactory(author_name="Bob", body="Already visible")
    response = client.get("/dashboard/comments/")
    assert response.status_code == 200
    assert names(response) == ["Ann"]
    assert "<em>squat</em>" in response.text
    assert 'aria-current="page">Pending <span class="count">(1)</span>' in response.text


@pytest.mark.parametrize("role", ["author", "contributor"])
def test_authors_and_contributors_get_403_even_for_comments_on_their_own_posts(client, db, role):
    me = sign_in(client, role)
    CommentFactory(post=PostFactory(authors=[me]), status="pending")
    assert client.get("/dashboard/comments/").status_code == 403
    assert "/dashboard/comments/" not in client.get("/dashboard/").text


def test_each_tab_counts_and_lists_its_status(client, db):
    sign_in(client, "editor")
    for name, status in [("Ann", "pending"), ("Bob", "approved"), ("Sam", "spam"),
                         ("Tia", "spam"), ("Val", "trash")]:  # fmt: skip
        CommentFactory(author_name=name, status=status)
    response = client.get("/dashboard/comments/?status=spam")
    assert sorted(names(response)) == ["Sam", "Tia"]
    counts = re.findall(r"(\w+) <span class=\"count\">\((\d+)\)", response.text)
    assert counts == [("Pending", "1"), ("Approved", "1"), ("Spam", "2"), ("Trash", "1"),
                      ("All", "5")]  # fmt: skip
    assert len(names(client.get("/dashboard/comments/?status=all"))) == 5


def test_a_row_shows_who_where_why_and_the_spam_score(client, db):
    sign_in(client, "editor")
    post = PostFactory(title="Stronger Knees")
    parent = CommentFactory(post=post, author_name="Bob")
    CommentFactory(
        post=post, parent=parent, author_name="Ann", author_email="ann@example.net",
        author_url="https://ann.example/", ip_address="203.0.113.9", status="pending",
        status_reason="first comment from this address", spam_score=0.12,
    )  # fmt: skip
    html = client.get("/dashboard/comments/").text
    for shown in ["ann@example.net", "203.0.113.9", 'href="https://ann.example/"',
                  f'href="{post.get_absolute_url()}">Stronger Knees</a>', "in reply to Bob",
                  "First comment from this address", "Spam score 12%"]:  # fmt: skip
        assert shown in html


def test_a_draft_posts_title_links_to_its_editor(client, db):
    sign_in(client, "editor")
    draft = PostFactory(status="draft", published_at=None)
    CommentFactory(post=draft, status="pending")
    assert f'href="/dashboard/posts/{draft.pk}/edit/"' in client.get("/dashboard/comments/").text


def test_the_buttons_fit_the_status_and_name_the_commenter(client, db):
    sign_in(client, "editor")
    CommentFactory(author_name="Ann", status="pending")
    CommentFactory(author_name="Sam", status="spam")
    CommentFactory(author_name="Val", status="trash")
    html = client.get("/dashboard/comments/?status=all").text
    for name in ["Approve comment by Ann", "Mark comment by Ann as spam",
                 "Move comment by Ann to the trash", "Not spam: approve comment by Sam",
                 "Restore comment by Val"]:  # fmt: skip
        assert f'aria-label="{name}"' in html
    assert 'Approve and reply<span class="visually-hidden"> to Ann</span>' in html
    assert 'Reply<span class="visually-hidden"> to Sam' not in html


def test_search_looks_in_names_text_and_post_titles_across_every_status(client, db):
    sign_in(client, "editor")
    CommentFactory(author_name="Squat Fan", status="spam")
    CommentFactory(body="More squats please", status="pending")
    CommentFactory(post=PostFactory(title="Squat depth"))
    CommentFactory(author_name="Off topic", body="Bench day")
    response = client.get("/dashboard/comments/?q=squat")
    assert len(names(response)) == 3
    assert 'All <span class="count">(3)</span>' in response.text
    assert 'value="squat"' in response.text
    assert names(client.get("/dashboard/comments/?q=squat&status=spam")) == ["Squat Fan"]


def test_the_queue_pages_by_20_newest_first_and_links_the_next_page(client, db):
    sign_in(client, "editor")
    CommentFactory.create_batch(21, status="spam")
    first = client.get("/dashboard/comments/?status=spam")
    assert len(first.context["rows"]) == 20
    assert 'href="?status=spam&amp;page=2" rel="next"' in first.text
    assert len(client.get("/dashboard/comments/?status=spam&page=2").context["rows"]) == 1


@pytest.mark.parametrize("count", [5, 50])
def test_the_queue_costs_the_same_queries_for_5_or_50_comments(
    client, db, django_assert_max_num_queries, count
):
    sign_in(client, "editor")
    posts = PostFactory.create_batch(3)
    for n in range(count):
        parent = CommentFactory(post=posts[n % 3])
        CommentFactory(post=posts[n % 3], parent=parent, status="pending")
    client.get("/dashboard/comments/")  # site settings and menu pages are cached from now on
    with django_assert_max_num_queries(10):
        response = client.get("/dashboard/comments/?status=all")
    assert len(response.context["rows"]) == min(2 * count, 20)


def test_the_page_says_what_the_classifier_has_learnt(client, db):
    sign_in(client, "editor")
    SpamFilterState.objects.create(pk=1, spam_documents=3, ham_documents=12)
    assert (
        "Spam classifier: learnt from 3 spam and 12 good comments; it starts judging once "
        "it has 10 of each." in client.get("/dashboard/comments/").text
    )


def test_the_comments_menu_item_shows_how_many_wait(client, db):
    sign_in(client, "editor")
    CommentFactory.create_batch(2, status="pending")
    CommentFactory(status="spam")
    html = client.get("/dashboard/").text
    assert (
        '<a href="/dashboard/comments/">Comments <span class="badge" aria-label="2 waiting">2'
        "</span></a>" in html
    )


def test_delete_permanently_is_offered_on_the_spam_and_trash_tabs_only(client, db):
    sign_in(client, "editor")
    CommentFactory(status="spam")
    CommentFactory(status="pending")
    assert 'value="delete"' in client.get("/dashboard/comments/?status=spam").text
    assert 'value="delete"' not in client.get("/dashboard/comments/").text


def test_an_empty_queue_says_so(client, db):
    sign_in(client, "editor")
    assert "No comments are waiting for you." in client.get("/dashboard/comments/").text


def test_a_website_that_is_not_http_never_becomes_a_link(client, db):
    sign_in(client, "editor")
    CommentFactory(author_url="javascript:alert(1)", status="pending")
    html = client.get("/dashboard/comments/").text
    assert "javascript:" not in html  # dropped when the comment was saved
