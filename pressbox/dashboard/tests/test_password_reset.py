"""/dashboard/password-reset/: a link by email (through the task queue) to a new password."""

import re

from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult

from pressbox.accounts.models import User
from pressbox.accounts.roles import Role
from pressbox.accounts.tests.people import PASSWORD, person, sent_emails
from pressbox.dashboard.tests.test_login import TOO_MANY, fail

NEW = "kettlebell-swing-77"


def reset_link(client, email="maya@example.com"):
    response = client.post("/dashboard/password-reset/", {"email": email})
    assert (response.status_code, response["Location"]) == (302, "/dashboard/password-reset/done/")
    (message,) = sent_emails()
    return re.search(r"http://\S+", message.body).group(0)


def set_password(client, link, password=NEW):
    form_url = client.get(link)["Location"]  # Django swaps the token for a session one
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_the_email_is_queued_and_its_link_sets_a_new_password(client, db):
    person(Role.AUTHOR, username="maya")
    client.post("/dashboard/password-reset/", {"email": "maya@example.com"})
    assert DBTaskResult.objects.count() == 1
    assert mail.outbox == []
    (message,) = sent_emails()
    assert message.to == ["maya@example.com"]
    assert message.subject == "Reset your password on Pressbox"
    link = re.search(r"http://\S+", message.body).group(0)
    assert link.startswith("http://127.0.0.1:8000/dashboard/password-reset/")
    response = set_password(client, link)
    assert response["Location"] == "/dashboard/password-reset/complete/"
    assert User.objects.get(username="maya").check_password(NEW)


def test_an_unknown_address_gets_the_same_page_and_no_email(client, db):
    response = client.post("/dashboard/password-reset/", {"email": "who@example.com"}, follow=True)
    assert "If an account uses that address" in response.text
    assert DBTaskResult.objects.count() == 0


def test_the_link_comes_from_the_site_url_not_the_host_header(client, db, settings):
    settings.ALLOWED_HOSTS = ["*"]
    person(Role.AUTHOR, username="maya")
    client.post(
        "/dashboard/password-reset/", {"email": "maya@example.com"}, HTTP_HOST="evil.example"
    )
    (message,) = sent_emails()
    assert "evil.example" not in message.body
    assert "http://127.0.0.1:8000/dashboard/password-reset/" in message.body


def test_a_link_works_once(client, db):
    person(Role.AUTHOR, username="maya")
    link = reset_link(client)
    set_password(client, link)
    response = Client().get(link)
    assert "This link no longer works" in response.text


def test_a_new_password_ends_every_other_session(client, db):
    maya = person(Role.AUTHOR, username="maya")
    elsewhere = Client()
    elsewhere.force_login(maya)
    assert elsewhere.get("/dashboard/").status_code == 200
    set_password(client, reset_link(client))
    assert elsewhere.get("/dashboard/")["Location"] == "/dashboard/login/?next=/dashboard/"


def test_a_new_password_lifts_a_login_lock(client, db):
    person(Role.AUTHOR, username="maya")
    fail(client, "maya", 5)
    assert (
        TOO_MANY
        in client.post("/dashboard/login/", {"username": "maya", "password": PASSWORD}).text
    )
    set_password(client, reset_link(client))
    response = client.post("/dashboard/login/", {"username": "maya", "password": NEW})
    assert response.status_code == 302


def test_a_weak_new_password_is_refused_with_the_reason_beside_the_field(client, db):
    person(Role.AUTHOR, username="maya")
    response = set_password(client, reset_link(client), password="password")
    assert response.status_code == 200
    assert 'aria-describedby="id_new_password2_helptext id_new_password2_error"' in response.text
    assert "This password is too common." in response.text
    assert User.objects.get(username="maya").check_password(PASSWORD)


def test_the_reset_form_refuses_a_post_without_the_csrf_token(db):
    person(Role.AUTHOR, username="maya")
    response = Client(enforce_csrf_checks=True).post(
        "/dashboard/password-reset/", {"email": "maya@example.com"}
    )
    assert response.status_code == 403
    assert DBTaskResult.objects.count() == 0
