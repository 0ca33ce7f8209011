"""/dashboard/profile/password/: a new password ends the other sessions, keeps this one."""

from django.test import Client

from pressbox.accounts.models import User
from pressbox.accounts.roles import Role
from pressbox.accounts.tests.people import PASSWORD, person

NEW = "kettlebell-swing-77"
FORM = {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}


def test_changing_the_password_logs_out_other_sessions_and_keeps_this_one(client, db):
    maya = person(Role.CONTRIBUTOR, username="maya")
    client.force_login(maya)
    elsewhere = Client()
    elsewhere.force_login(maya)
    response = client.post("/dashboard/profile/password/", FORM)
    assert (response.status_code, response["Location"]) == (302, "/dashboard/profile/")
    assert User.objects.get(username="maya").check_password(NEW)
    assert client.get("/dashboard/").status_code == 200
    assert elsewhere.get("/dashboard/")["Location"] == "/dashboard/login/?next=/dashboard/"


def test_a_wrong_old_password_changes_nothing_and_says_so_beside_the_field(client, db):
    maya = person(Role.AUTHOR, username="maya")
    client.force_login(maya)
    response = client.post("/dashboard/profile/password/", {**FORM, "old_password": "nope"})
    assert response.status_code == 200
    assert 'aria-describedby="id_old_password_error"' in response.text
    assert "Your old password was entered incorrectly" in response.text
    assert User.objects.get(username="maya").check_password(PASSWORD)


def test_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get("/dashboard/profile/password/")
    assert response["Location"] == "/dashboard/login/?next=/dashboard/profile/password/"


def test_the_change_refuses_a_post_without_the_csrf_token(db):
    maya = person(Role.AUTHOR, username="maya")
    client = Client(enforce_csrf_checks=True)
    client.force_login(maya)
    assert client.post("/dashboard/profile/password/", FORM).status_code == 403
    assert User.objects.get(username="maya").check_password(PASSWORD)
