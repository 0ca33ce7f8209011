"""/dashboard/invitation/<uidb64>/<token>/: an invited person chooses a password."""

import re

import time_machine
from django.test import Client

from pressbox.accounts.models import User
from pressbox.accounts.roles import Role
from pressbox.accounts.services import invitation_send, user_invite
from pressbox.accounts.tests.people import person, sent_emails

CHOSEN = "kettlebell-swing-77"


def invite(email="ana.lima@example.com"):
    admin = person(Role.ADMINISTRATOR, username="boss", display_name="Maya Boss")
    user = user_invite(email=email, name="Ana Lima", role=Role.CONTRIBUTOR, by=admin)
    return user, link_in(sent_emails()[-1])


def link_in(message):
    return re.search(r"http://\S+", message.body).group(0)


def choose(client, link, password=CHOSEN):
    form_url = client.get(link)["Location"]
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_the_invited_person_chooses_a_password_and_logs_in(client, db):
    user, link = invite()
    page = client.get(client.get(link)["Location"])
    assert "<h1>Welcome — choose a password</h1>" in page.text
    assert "Your username is <strong>ana-lima</strong>" in page.text
    response = choose(client, link)
    assert response["Location"] == "/dashboard/login/"
    assert User.objects.get(pk=user.pk).check_password(CHOSEN)
    login = client.post("/dashboard/login/", {"username": "ana-lima", "password": CHOSEN})
    assert login["Location"] == "/dashboard/"
    assert "Hello, Ana Lima" in client.get("/dashboard/").text


def test_the_email_names_the_site_the_inviter_and_the_username(db):
    invite()
    (message,) = sent_emails()
    assert message.to == ["ana.lima@example.com"]
    assert message.subject == "You are invited to write for Pressbox"
    assert "Maya Boss invited you to write for Pressbox." in message.body
    assert 'Your username is "ana-lima"' in message.body
    assert "for 3 days" in message.body


def test_a_link_works_once(client, db):
    _user, link = invite()
    choose(client, link)
    assert "This invitation no longer works" in Client().get(link).text


def test_a_new_invitation_makes_the_old_link_useless(client, db):
    user, old_link = invite()
    invitation_send(user=user, by=None)
    new_link = link_in(sent_emails()[-1])
    assert "This invitation no longer works" in client.get(old_link).text
    assert choose(client, new_link)["Location"] == "/dashboard/login/"


def test_the_link_runs_out_after_three_days(client, db):
    with time_machine.travel("2025-03-01 09:00Z", tick=False) as traveller:
        _user, link = invite()
        traveller.shift(3 * 24 * 3600 + 60)
        assert "This invitation no longer works" in client.get(link).text


def test_choosing_refuses_a_post_without_the_csrf_token(db):
    user, link = invite()
    client = Client(enforce_csrf_checks=True)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": CHOSEN, "new_password2": CHOSEN})
    assert response.status_code == 403
    assert not User.objects.get(pk=user.pk).has_usable_password()
