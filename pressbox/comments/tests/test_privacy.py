"""A commenter's email and IP address appear on no public page."""

import hashlib

import pytest

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.posts.factories import CategoryFactory, TagFactory

EMAIL = "secret.reader@example.net"
IP = "198.51.100.23"


@pytest.fixture
def commented(post):
    post.categories.set([CategoryFactory(slug="fitness")])
    post.tags.set([TagFactory(slug="knees")])
    CommentFactory(post=post, author_email=EMAIL, ip_address=IP, user_agent="SecretUA/9")
    return post


def assert_private(html):
    assert EMAIL not in html and "secret.reader" not in html
    assert IP not in html and "SecretUA" not in html
    assert hashlib.md5(EMAIL.encode()).hexdigest() not in html


@pytest.mark.parametrize(
    "path",
    [
        "/2024/05/knees/",
        "/",
        "/category/fitness/",
        "/tag/knees/",
        "/2024/",
        "/2024/05/",
        "/2024/05/14/",
    ],
)
def test_email_and_ip_are_not_on_public_pages(client, commented, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_private(response.text)
    assert Comment.objects.filter(author_email=EMAIL, ip_address=IP).exists()


def test_held_comment_shown_to_its_author_does_not_echo_the_email(client, post, typed):
    typed["email"] = EMAIL
    location = client.post(f"/comments/post/{post.pk}/", typed, REMOTE_ADDR=IP)["Location"]
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert_private(client.get(location).text)


def test_author_archive_does_not_show_commenter_details(client, commented):
    author = commented.authors.get()
    assert_private(client.get(f"/author/{author.username}/").text)


@pytest.mark.parametrize(
    "path",
    [
        "/2024/05/knees/",
        "/comments/feed/",
        "/2024/05/knees/feed/",
        "/2024/05/knees/comment-page-1/",
    ],
)
def test_email_and_ip_are_not_in_the_post_page_or_the_comment_feeds(client, commented, path):
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert_private(response.content.decode())
    assert Comment.objects.filter(author_email=EMAIL, ip_address=IP).exists()


def test_posting_a_comment_logs_neither_email_nor_ip(client, post, typed, caplog):
    caplog.set_level("DEBUG")
    typed["email"] = EMAIL
    client.post(f"/comments/post/{post.pk}/", {**typed, "email": "bad"}, REMOTE_ADDR=IP)
    client.post(f"/comments/post/{post.pk}/", typed, REMOTE_ADDR=IP)
    location = client.post(f"/comments/post/{post.pk}/", typed, REMOTE_ADDR=IP)
    assert Comment.objects.filter(author_email=EMAIL).count() == 1
    assert location.status_code == 400  # the same comment again
    assert_private(caplog.text)


def test_the_form_sent_back_after_an_error_shows_only_what_the_reader_typed(client, post, typed):
    response = client.post(f"/comments/post/{post.pk}/", {**typed, "comment": ""}, REMOTE_ADDR=IP)
    assert response.status_code == 400
    assert IP not in response.text


def test_a_website_that_is_not_http_never_becomes_a_link(client, db):
    from pressbox.comments.factories import CommentFactory

    comment = CommentFactory(author_url="javascript:alert(1)", author_name="Mallory")
    assert comment.author_url == ""
    page = client.get(comment.post.get_absolute_url()).text
    assert "javascript:" not in page
