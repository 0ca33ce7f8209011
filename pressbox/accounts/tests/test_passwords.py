"""Passwords are stored with Argon2; older hashes still work and are upgraded at login."""

import pytest
from django.contrib.auth.hashers import make_password

from pressbox import settings as production
from pressbox.accounts.models import User
from pressbox.accounts.roles import Role
from pressbox.accounts.tests.people import PASSWORD, person


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


def test_a_new_password_is_stored_with_argon2id(db, production_hashers):
    maya = person(Role.AUTHOR, username="maya")
    assert maya.password.startswith("argon2$argon2id$")
    assert maya.check_password(PASSWORD)


def test_an_older_pbkdf2_password_logs_in_and_is_rehashed_with_argon2(
    client, db, production_hashers
):
    maya = person(Role.AUTHOR, username="maya")
    User.objects.filter(pk=maya.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    response = client.post("/dashboard/login/", {"username": "maya", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/dashboard/")
    assert User.objects.get(pk=maya.pk).password.startswith("argon2$argon2id$")
    assert client.get("/dashboard/").status_code == 200


def test_a_wrong_password_leaves_an_older_hash_alone(client, db, production_hashers):
    maya = person(Role.AUTHOR, username="maya")
    old = make_password(PASSWORD, hasher="pbkdf2_sha256")
    User.objects.filter(pk=maya.pk).update(password=old)
    client.post("/dashboard/login/", {"username": "maya", "password": "wrong"})
    assert User.objects.get(pk=maya.pk).password == old
