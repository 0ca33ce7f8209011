"""/dashboard/privacy/, "Erase personal data": say what would change, then anonymise."""

from django.test import Client
from django.utils import timezone

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment, ReplySubscriber
from pressbox.dashboard.tests.posts_helpers import sign_in

URL = "/dashboard/privacy/"


def anns_comments():
    CommentFactory(author_name="Ann", author_email="ann@example.net", body="First!",
                   author_url="https://ann.example/")  # fmt: skip
    CommentFactory(author_name="A.", author_email="ANN@example.net", status="spam")
    CommentFactory(author_name="Bob", author_email="bob@example.net")
    ReplySubscriber.objects.create(email="ann@example.net", confirmed_at=timezone.now())


def test_erase_first_says_how_many_comments_would_be_anonymised(client, db):
    sign_in(client, "editor")
    anns_comments()
    response = client.post(URL, {"email": "Ann@example.net", "action": "erase"})
    assert "<h1>Erase the personal data of ann@example.net?</h1>" in response.text
    assert "2 comments will be anonymised" in response.text
    assert "Its reply-notification subscription will be deleted." in response.text
    assert Comment.objects.filter(author_name="Ann").exists()
    assert ReplySubscriber.objects.exists()


def test_confirming_anonymises_the_comments_and_deletes_the_subscription(client, db):
    sign_in(client, "editor")
    anns_comments()
    response = client.post(
        URL, {"email": "ann@example.net", "action": "erase", "confirm": "yes"}, follow=True
    )
    assert response.redirect_chain == [("/dashboard/privacy/", 302)]
    assert "Erased: 2 comments anonymised, 1 reply subscription deleted." in response.text
    assert set(Comment.objects.values_list("author_name", "author_email", "author_url")) == {
        ("Anonymous", "", ""), ("Bob", "bob@example.net", ""),
    }  # fmt: skip
    assert Comment.objects.filter(body="First!").exists()  # the text stays
    assert not ReplySubscriber.objects.exists()


def test_an_address_with_nothing_stored_is_told_so(client, db):
    sign_in(client, "editor")
    anns_comments()
    response = client.post(URL, {"email": "zoe@example.net", "action": "erase"})
    assert "Nothing is stored about this address" in response.text
    assert 'value="yes"' not in response.text


def test_an_invalid_address_erases_nothing(client, db):
    sign_in(client, "editor")
    anns_comments()
    response = client.post(URL, {"email": "ann@", "action": "erase", "confirm": "yes"})
    assert "Enter a valid email address." in response.text
    assert Comment.objects.filter(author_name="Ann").exists()


def test_authors_get_403_and_nothing_is_erased(client, db):
    sign_in(client, "author")
    anns_comments()
    response = client.post(URL, {"email": "ann@example.net", "action": "erase", "confirm": "yes"})
    assert response.status_code == 403
    assert Comment.objects.filter(author_name="Ann").exists()


def test_a_post_without_the_csrf_token_erases_nothing(db):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "editor")
    anns_comments()
    response = client.post(URL, {"email": "ann@example.net", "action": "erase", "confirm": "yes"})
    assert response.status_code == 403
    assert ReplySubscriber.objects.exists()
