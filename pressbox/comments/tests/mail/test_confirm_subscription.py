"""/comments/notify/confirm/<token>/: the double opt-in link."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from pytest_django.asserts import assertContains

from pressbox.comments import tokens
from pressbox.comments.models import ReplySubscriber

pytestmark = pytest.mark.django_db(transaction=True)


def path(url):
    return url.removeprefix("http://127.0.0.1:8000")


def test_opening_the_link_asks_and_only_the_button_confirms(client):
    subscriber = ReplySubscriber.objects.create(email="ann@example.net")
    url = path(tokens.confirmation_url(subscriber.pk, subscriber.email))
    assertContains(client.get(url), "Yes, notify me of replies")  # a mail scanner's fetch
    subscriber.refresh_from_db()
    assert not subscriber.is_active
    response = client.post(url)
    assertContains(response, "You’re subscribed")
    assertContains(response, "/comments/notify/unsubscribe/")
    subscriber.refresh_from_db()
    assert subscriber.is_active


def test_confirming_again_resubscribes_an_address_that_had_unsubscribed(client):
    subscriber = ReplySubscriber.objects.create(
        email="ann@example.net", confirmed_at=timezone.now(), unsubscribed_at=timezone.now()
    )
    client.post(path(tokens.confirmation_url(subscriber.pk, subscriber.email)))
    subscriber.refresh_from_db()
    assert subscriber.is_active


def test_a_link_for_another_address_or_an_old_one_is_refused(client):
    subscriber = ReplySubscriber.objects.create(email="ann@example.net")
    other = path(tokens.confirmation_url(subscriber.pk, "eve@example.net"))
    assertContains(client.get(other), "not valid", status_code=400)
    url = path(tokens.confirmation_url(subscriber.pk, subscriber.email))
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assertContains(client.get(url), "has expired", status_code=400)
    assertContains(client.get(url[:-5] + "AAAA/"), "not valid", status_code=400)
    assert not ReplySubscriber.objects.get().is_active
