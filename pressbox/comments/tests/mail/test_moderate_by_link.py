"""/comments/moderate/<token>/: the one-click links in a co-author's email."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from pressbox.accounts.factories import UserFactory
from pressbox.comments import tokens
from pressbox.comments.models import Comment
from pressbox.lib.tests.smtp import run_tasks
from pressbox.posts.models import PostAuthor

pytestmark = pytest.mark.django_db(transaction=True)


def link(smtp, to, action):
    """The path of a moderation link in the email sent to `to`."""
    (message,) = smtp.to(to)
    urls = re.findall(r"http://127\.0\.0\.1:8000(/comments/moderate/\S+)", message.get_content())
    paths = {tokens.read_moderation(u.rstrip("/").rsplit("/", 1)[1]).action: u for u in urls}
    return paths[action]


@pytest.fixture
def held(submit, smtp):
    submit()
    run_tasks()
    return Comment.objects.get()


def test_approve_link_asks_on_get_and_approves_on_post(held, smtp):
    url, client = link(smtp, "maya@pressbox.example", "approve"), Client(enforce_csrf_checks=True)
    page = client.get(url)
    assertContains(page, "Approve this comment?")
    assertContains(page, "Loved the squat tips")
    assert Comment.objects.get().status == Comment.Status.PENDING
    done = client.post(url)
    assertContains(done, "The comment is approved")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    assert "maya" in comment.status_reason
    assertContains(client.get("/2024/05/knees/"), "Loved the squat tips")


def test_spam_link_hides_the_comment(held, smtp, client):
    url = link(smtp, "tomas@pressbox.example", "spam")
    client.post(url)
    assert Comment.objects.get().status == Comment.Status.SPAM
    assertNotContains(client.get("/2024/05/knees/"), "Loved the squat tips")
    assertContains(client.get(url), "marked as spam")


def test_forged_and_expired_links_answer_400(held, smtp, client):
    url = link(smtp, "maya@pressbox.example", "approve")
    forged = url.replace("approve", "spam")[:-3] + "xx/"
    odd = ("/comments/moderate/x/", "/comments/moderate/%C3%A9:1:%00/")
    for response in (client.get(forged), client.post(forged), *map(client.get, odd)):
        assertContains(response, "This link has expired or is not valid", status_code=400)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assertContains(client.post(url), "has expired", status_code=400)
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_a_link_stops_working_for_someone_no_longer_an_author(held, smtp, client, coauthors):
    url = link(smtp, "maya@pressbox.example", "approve")
    PostAuthor.objects.filter(author=coauthors[0]).delete()
    assertContains(client.post(url), "can no longer moderate", status_code=403)
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_an_editor_may_moderate_any_post(held, client):
    editor = UserFactory(username="ed")
    editor.user_permissions.add(Permission.objects.get(codename="change_comment"))
    url = tokens.moderation_url(held, action="approve", user_id=editor.pk)
    client.post(url.removeprefix("http://127.0.0.1:8000"))
    assert Comment.objects.get().status == Comment.Status.APPROVED
