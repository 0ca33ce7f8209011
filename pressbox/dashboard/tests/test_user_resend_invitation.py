"""/dashboard/users/<pk>/resend-invitation/: a fresh link for someone not joined yet."""

import re

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from pressbox.accounts.roles import Role
from pressbox.accounts.services import user_invite
from pressbox.accounts.tests.people import person, sent_emails


@pytest.fixture
def invited(db):
    user = user_invite(email="ana@example.com", name="Ana Lima", role=Role.AUTHOR, by=None)
    sent_emails()
    return user


def test_a_new_invitation_is_queued_and_the_old_link_stops_working(client, invited):
    client.force_login(person(Role.ADMINISTRATOR))
    old_link = re.search(r"http://\S+", sent_emails()[0].body).group(0)
    response = client.post(f"/dashboard/users/{invited.pk}/resend-invitation/", follow=True)
    assert "A new invitation is on its way to ana@example.com." in response.text
    emails = sent_emails()
    assert len(emails) == 2 and emails[1].to == ["ana@example.com"]
    assert "This invitation no longer works" in Client().get(old_link).text


def test_someone_who_chose_a_password_gets_no_invitation(client, db):
    client.force_login(person(Role.ADMINISTRATOR))
    maya = person(Role.AUTHOR, display_name="Maya Strong")
    response = client.post(f"/dashboard/users/{maya.pk}/resend-invitation/", follow=True)
    assert "Maya Strong has already chosen a password" in response.text
    assert DBTaskResult.objects.count() == 0


@pytest.mark.parametrize("role", [Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR])
def test_other_roles_get_403(client, invited, role):
    client.force_login(person(role))
    assert client.post(f"/dashboard/users/{invited.pk}/resend-invitation/").status_code == 403
    assert DBTaskResult.objects.count() == 1


def test_resending_refuses_a_post_without_the_csrf_token(invited):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person(Role.ADMINISTRATOR))
    assert client.post(f"/dashboard/users/{invited.pk}/resend-invitation/").status_code == 403
    assert DBTaskResult.objects.count() == 1
