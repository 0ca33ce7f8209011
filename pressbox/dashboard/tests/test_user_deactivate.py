"""/dashboard/users/<pk>/deactivate/ and /reactivate/: who may sign in."""

import pytest
from django.test import Client

from pressbox.accounts.models import User
from pressbox.accounts.roles import Role
from pressbox.accounts.tests.people import PASSWORD, person


def test_a_deactivated_person_is_logged_out_and_cannot_log_in(client, db):
    client.force_login(person(Role.ADMINISTRATOR))
    maya = person(Role.AUTHOR, username="maya", display_name="Maya Strong")
    theirs = Client()
    theirs.force_login(maya)
    response = client.post(f"/dashboard/users/{maya.pk}/deactivate/", follow=True)
    assert "Maya Strong is deactivated." in response.text
    assert not User.objects.get(pk=maya.pk).is_active
    assert theirs.get("/dashboard/").status_code == 302
    login = Client().post("/dashboard/login/", {"username": "maya", "password": PASSWORD})
    assert login.status_code == 200


def test_a_reactivated_person_can_log_in_again(client, db):
    client.force_login(person(Role.ADMINISTRATOR))
    maya = person(Role.AUTHOR, username="maya", display_name="Maya Strong")
    User.objects.filter(pk=maya.pk).update(is_active=False)
    response = client.post(f"/dashboard/users/{maya.pk}/reactivate/", follow=True)
    assert "Maya Strong is reactivated." in response.text
    login = Client().post("/dashboard/login/", {"username": "maya", "password": PASSWORD})
    assert login.status_code == 302


def test_nobody_deactivates_themselves(client, db):
    admin = person(Role.ADMINISTRATOR)
    person(Role.ADMINISTRATOR)
    client.force_login(admin)
    response = client.post(f"/dashboard/users/{admin.pk}/deactivate/", follow=True)
    assert "You cannot deactivate your own account." in response.text
    assert User.objects.get(pk=admin.pk).is_active


@pytest.mark.parametrize("role", [Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR])
@pytest.mark.parametrize("action", ["deactivate", "reactivate"])
def test_other_roles_get_403(client, db, role, action):
    client.force_login(person(role))
    maya = person(Role.AUTHOR)
    User.objects.filter(pk=maya.pk).update(is_active=action == "deactivate")
    assert client.post(f"/dashboard/users/{maya.pk}/{action}/").status_code == 403
    assert User.objects.get(pk=maya.pk).is_active is (action == "deactivate")


def test_deactivating_refuses_a_post_without_the_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person(Role.ADMINISTRATOR))
    maya = person(Role.AUTHOR)
    assert client.post(f"/dashboard/users/{maya.pk}/deactivate/").status_code == 403
    assert User.objects.get(pk=maya.pk).is_active
