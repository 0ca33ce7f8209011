"""/dashboard/users/<pk>/role/: an administrator changes someone's role."""

import pytest
from django.test import Client

from pressbox.accounts.models import User
from pressbox.accounts.roles import Role, role_of
from pressbox.accounts.tests.people import person


def test_an_administrator_makes_an_author_an_editor(client, db):
    client.force_login(person(Role.ADMINISTRATOR))
    maya = person(Role.AUTHOR, username="maya", display_name="Maya Strong")
    response = client.post(f"/dashboard/users/{maya.pk}/role/", {"role": "editor"}, follow=True)
    assert response.redirect_chain == [("/dashboard/users/", 302)]
    assert "Maya Strong is now editor." in response.text
    maya = User.objects.get(pk=maya.pk)
    assert (role_of(maya), maya.is_staff) == (Role.EDITOR, True)


def test_the_last_administrator_keeps_the_role(client, db):
    admin = person(Role.ADMINISTRATOR, display_name="Only Admin")
    client.force_login(admin)
    response = client.post(f"/dashboard/users/{admin.pk}/role/", {"role": "author"}, follow=True)
    assert "Only Admin is the only administrator" in response.text
    assert role_of(User.objects.get(pk=admin.pk)) == Role.ADMINISTRATOR


def test_an_administrator_may_step_down_when_another_remains(client, db):
    admin = person(Role.ADMINISTRATOR)
    person(Role.ADMINISTRATOR)
    client.force_login(admin)
    client.post(f"/dashboard/users/{admin.pk}/role/", {"role": "editor"})
    assert role_of(User.objects.get(pk=admin.pk)) == Role.EDITOR
    assert client.get("/dashboard/users/").status_code == 403


def test_a_superuser_given_another_role_stops_being_an_administrator(client, db):
    client.force_login(person(Role.ADMINISTRATOR))
    root = User.objects.create_superuser("root", "root@example.com", "x-long-passphrase")
    client.post(f"/dashboard/users/{root.pk}/role/", {"role": "author"})
    root = User.objects.get(pk=root.pk)
    assert (root.is_superuser, role_of(root)) == (False, Role.AUTHOR)


def test_an_unknown_role_is_refused(client, db):
    client.force_login(person(Role.ADMINISTRATOR))
    maya = person(Role.AUTHOR)
    response = client.post(f"/dashboard/users/{maya.pk}/role/", {"role": "owner"}, follow=True)
    assert "Choose one of the roles." in response.text
    assert role_of(User.objects.get(pk=maya.pk)) == Role.AUTHOR


@pytest.mark.parametrize("role", [Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR])
def test_other_roles_get_403(client, db, role):
    me = person(role)
    client.force_login(me)
    response = client.post(f"/dashboard/users/{me.pk}/role/", {"role": "administrator"})
    assert response.status_code == 403
    assert role_of(User.objects.get(pk=me.pk)) == role


def test_a_get_is_not_allowed(client, db):
    client.force_login(person(Role.ADMINISTRATOR))
    assert client.get(f"/dashboard/users/{person(Role.AUTHOR).pk}/role/").status_code == 405


def test_the_change_refuses_a_post_without_the_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person(Role.ADMINISTRATOR))
    maya = person(Role.AUTHOR)
    assert client.post(f"/dashboard/users/{maya.pk}/role/", {"role": "editor"}).status_code == 403
    assert role_of(User.objects.get(pk=maya.pk)) == Role.AUTHOR
