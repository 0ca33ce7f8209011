"""/comments/notify/unsubscribe/<token>/: the link and List-Unsubscribe of every email."""

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains

from pressbox.comments import tokens
from pressbox.comments.models import ReplySubscriber

pytestmark = pytest.mark.django_db(transaction=True)


def path(url):
    return url.removeprefix("http://127.0.0.1:8000")


@pytest.fixture
def subscriber():
    return ReplySubscriber.objects.create(email="ann@example.net", confirmed_at=timezone.now())


def test_get_asks_with_a_button_and_changes_nothing(client, subscriber):
    response = client.get(
        path(tokens.unsubscribe_url("reply", pk=subscriber.pk, email="ann@example.net"))
    )
    assertContains(response, '<button type="submit">Unsubscribe</button>', html=True)
    subscriber.refresh_from_db()
    assert subscriber.is_active


def test_one_click_post_from_a_mail_client_unsubscribes_without_csrf_token(subscriber):
    url = path(tokens.unsubscribe_url("reply", pk=subscriber.pk, email="ann@example.net"))
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        url, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded"
    )
    assertContains(response, "You won’t get any more emails")
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None and not subscriber.is_active
    assert mail_client.post(url).status_code == 200  # twice is fine


def test_an_author_can_stop_comment_emails(client, coauthors):
    maya = coauthors[0]
    url = path(tokens.unsubscribe_url("author", pk=maya.pk, email=maya.email))
    assertContains(client.post(url), "new comments on your posts")
    maya.profile.refresh_from_db()
    assert maya.profile.notify_comments is False


def test_forged_links_answer_400(client, subscriber):
    url = path(tokens.unsubscribe_url("reply", pk=subscriber.pk, email="ann@example.net"))
    for bad in (url[:-4] + "xyz/", "/comments/notify/unsubscribe/nonsense/"):
        assertContains(client.post(bad), "not valid", status_code=400)
    other = path(tokens.unsubscribe_url("reply", pk=subscriber.pk, email="eve@example.net"))
    assertContains(client.post(other), "not valid", status_code=400)
    subscriber.refresh_from_db()
    assert subscriber.is_active
