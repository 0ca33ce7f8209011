"""/dashboard/users/invite/: administrators invite by email, name and role."""

import re

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from pressbox.accounts.models import User
from pressbox.accounts.roles import Role, role_of
from pressbox.accounts.tests.people import person, sent_emails

TYPED = {"email": "ana.lima@example.com", "name": "Ana Lima", "role": "contributor"}


@pytest.fixture
def admin_client(client, db):
    client.force_login(person(Role.ADMINISTRATOR, username="boss"))
    return client


def test_an_administrator_invites_a_contributor(admin_client):
    response = admin_client.post("/dashboard/users/invite/", TYPED)
    assert (response.status_code, response["Location"]) == (302, "/dashboard/users/")
    ana = User.objects.get(email="ana.lima@example.com")
    assert (ana.username, ana.profile.display_name) == ("ana-lima", "Ana Lima")
    assert role_of(ana) == Role.CONTRIBUTOR
    assert not ana.has_usable_password()
    assert DBTaskResult.objects.count() == 1
    (message,) = sent_emails()
    assert message.to == ["ana.lima@example.com"]
    assert re.search(r"http://127.0.0.1:8000/dashboard/invitation/\S+/\S+/", message.body)
    listing = admin_client.get("/dashboard/users/").text
    assert "Invitation sent to ana.lima@example.com." in listing
    assert "Invited, not joined yet" in listing


def test_the_username_is_made_unique(admin_client):
    person(Role.AUTHOR, username="ana-lima")
    admin_client.post("/dashboard/users/invite/", TYPED)
    assert User.objects.get(email="ana.lima@example.com").username == "ana-lima-2"


def test_an_address_already_in_use_is_refused_and_the_typing_kept(admin_client):
    person(Role.AUTHOR, username="ana")
    User.objects.filter(username="ana").update(email="Ana.Lima@example.com")
    response = admin_client.post("/dashboard/users/invite/", TYPED)
    assert response.status_code == 200
    assert "Someone with this email address already has an account." in response.text
    assert 'aria-describedby="id_email_helptext id_email_error"' in response.text
    assert 'value="Ana Lima"' in response.text
    assert re.search(
        r'<input type="radio" name="role" value="contributor"[^>]* checked', response.text
    )
    assert User.objects.filter(email__iexact="ana.lima@example.com").count() == 1
    assert DBTaskResult.objects.count() == 0


@pytest.mark.parametrize("role", [Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR])
def test_other_roles_may_not_invite(client, db, role):
    client.force_login(person(role))
    assert client.get("/dashboard/users/invite/").status_code == 403
    assert client.post("/dashboard/users/invite/", TYPED).status_code == 403
    assert not User.objects.filter(email="ana.lima@example.com").exists()


def test_inviting_refuses_a_post_without_the_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person(Role.ADMINISTRATOR))
    assert client.post("/dashboard/users/invite/", TYPED).status_code == 403
    assert not User.objects.filter(email="ana.lima@example.com").exists()
