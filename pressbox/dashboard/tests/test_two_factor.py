"""Two-step sign-in: set up from /dashboard/profile/security/, then asked for at login.

Codes are computed here from the secret the page shows (RFC 6238: HMAC-SHA1 of the
30-second step), as an authenticator app would, not with django-otp's own code.
"""

import base64
import hmac
import re
import struct
import time
from datetime import UTC, datetime
from html import unescape

import pytest
import time_machine
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from pressbox.accounts.roles import Role
from pressbox.accounts.tests.people import PASSWORD, person
from pressbox.accounts.twofactor import secret_text, totp_setup_confirm, totp_setup_start
from pressbox.dashboard.tests.test_login import TOO_MANY, log_in


def totp(secret, at=None):
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    step = int((time.time() if at is None else at) // 30)
    mac = hmac.new(key, struct.pack(">Q", step), "sha1").digest()
    offset = mac[-1] & 0x0F
    return f"{(struct.unpack('>I', mac[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2025, 3, 1, 9, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def maya(db, clock):
    """An author with two-step sign-in on; `maya.secret` and `maya.recovery` as shown."""
    user = person(Role.AUTHOR, username="maya")
    device = totp_setup_start(user=user)
    user.secret = secret_text(device)
    user.recovery = totp_setup_confirm(device=device, code=totp(user.secret))
    clock.shift(30)  # the code used to set up cannot be used again
    return user


def enter_code(client, code):
    return client.post("/dashboard/login/code/", {"code": code})


def test_setting_up_shows_the_secret_and_a_right_code_turns_it_on(client, db, clock):
    client.force_login(person(Role.EDITOR, username="eddie"))
    assert "<strong>Off.</strong>" in client.get("/dashboard/profile/security/").text
    page = client.get("/dashboard/profile/security/two-factor/")
    assert page.status_code == 200
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.text).group(1)
    uri = unescape(re.search(r'id="totp-uri">([^<]+)<', page.text).group(1))
    assert uri.startswith("otpauth://totp/Pressbox%3Aeddie?secret=" + secret.replace(" ", ""))
    assert "issuer=Pressbox" in uri
    assert "<svg" in page.text and "QR code for your authenticator app" in page.text

    wrong = {"code": "000000" if totp(secret) != "000000" else "111111", "password": PASSWORD}
    response = client.post("/dashboard/profile/security/two-factor/", wrong)
    assert "This code does not match" in response.text
    assert not TOTPDevice.objects.filter(confirmed=True).exists()

    clock.shift(30)  # past django-otp's one-second back-off and into a new step
    response = client.post(
        "/dashboard/profile/security/two-factor/", {"code": totp(secret), "password": PASSWORD}
    )
    assert response["Location"] == "/dashboard/profile/security/"
    page = client.get("/dashboard/profile/security/").text
    assert "<strong>On.</strong>" in page
    assert len(re.findall(r"<li><code>[a-z2-7]{8}</code></li>", page)) == 10
    assert "<li><code>" not in client.get("/dashboard/profile/security/").text  # shown once
    assert TOTPDevice.objects.get(user__username="eddie").confirmed


def test_setting_up_needs_the_password_too(client, db, clock):
    client.force_login(person(Role.AUTHOR, username="maya"))
    page = client.get("/dashboard/profile/security/two-factor/").text
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    response = client.post(
        "/dashboard/profile/security/two-factor/", {"code": totp(secret), "password": "nope"}
    )
    assert "This is not your password." in response.text
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_login_asks_for_the_code_after_the_password(client, maya):
    response = log_in(client, "maya", PASSWORD)
    assert response["Location"] == "/dashboard/login/code/"
    assert client.get("/dashboard/")["Location"] == "/dashboard/login/?next=/dashboard/"
    assert "Two-step sign-in" in client.get("/dashboard/login/code/").text
    response = enter_code(client, totp(maya.secret))
    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_the_code_step_keeps_where_the_person_was_going(client, maya):
    client.post(
        "/dashboard/login/",
        {"username": "maya", "password": PASSWORD, "next": "/dashboard/posts/"},
    )
    assert enter_code(client, totp(maya.secret))["Location"] == "/dashboard/posts/"


def test_a_wrong_code_is_refused_beside_the_field(client, maya):
    log_in(client, "maya", PASSWORD)
    response = enter_code(client, "123456" if totp(maya.secret) != "123456" else "654321")
    assert response.status_code == 200
    assert "This code is not right." in response.text
    assert 'aria-describedby="id_code_helptext id_code_error"' in response.text
    assert "_auth_user_id" not in client.session


def test_five_wrong_codes_lock_the_account_even_with_a_new_password_step(client, maya, clock):
    wrong = "123456" if totp(maya.secret) != "123456" else "654321"
    log_in(client, "maya", PASSWORD)
    for _ in range(4):
        clock.shift(60)  # past django-otp's own growing back-off
        enter_code(client, wrong)
    log_in(client, "maya", PASSWORD)  # the right password does not buy new guesses
    clock.shift(60)
    enter_code(client, wrong)
    clock.shift(60)
    response = enter_code(client, totp(maya.secret))
    assert response.status_code == 429
    assert TOO_MANY in response.text
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_logs_in_once(client, maya):
    code = maya.recovery[0]
    log_in(client, "maya", PASSWORD)
    assert enter_code(client, code.upper())["Location"] == "/dashboard/"
    other = Client()
    log_in(other, "maya", PASSWORD)
    assert "This code is not right." in enter_code(other, code).text
    client.force_login(maya)
    assert "Recovery codes left: 9." in client.get("/dashboard/profile/security/").text


def test_the_code_step_without_the_password_step_goes_to_login(client, maya):
    assert client.get("/dashboard/login/code/")["Location"] == "/dashboard/login/"
    assert enter_code(client, totp(maya.secret))["Location"] == "/dashboard/login/"
    assert "_auth_user_id" not in client.session


def test_the_code_must_follow_the_password_within_five_minutes(client, maya, clock):
    log_in(client, "maya", PASSWORD)
    clock.shift(5 * 60 + 1)
    response = enter_code(client, totp(maya.secret))
    assert response["Location"] == "/dashboard/login/"
    assert "That took too long" in client.get("/dashboard/login/").text
    assert "_auth_user_id" not in client.session


def test_new_recovery_codes_replace_the_old_ones(client, maya):
    client.force_login(maya)
    response = client.post(
        "/dashboard/profile/security/recovery-codes/", {"password": PASSWORD}, follow=True
    )
    fresh = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)
    assert len(fresh) == 10 and not set(fresh) & set(maya.recovery)
    other = Client()
    log_in(other, "maya", PASSWORD)
    assert "This code is not right." in enter_code(other, maya.recovery[1]).text


def test_turning_it_off_needs_the_password_and_then_login_asks_no_code(client, maya):
    client.force_login(maya)
    response = client.post("/dashboard/profile/security/two-factor/off/", {"password": "nope"})
    assert "This is not your password." in response.text
    assert 'id="off_password_error"' in response.text
    assert TOTPDevice.objects.filter(user=maya).exists()
    client.post("/dashboard/profile/security/two-factor/off/", {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=maya).exists()
    other = Client()
    assert log_in(other, "maya", PASSWORD)["Location"] == "/dashboard/"


def test_people_without_it_log_in_with_the_password_alone(client, db):
    person(Role.AUTHOR, username="tomas")
    assert log_in(client, "tomas", PASSWORD)["Location"] == "/dashboard/"


def test_the_admin_login_also_asks_for_the_code(client, db, clock):
    boss = person(Role.ADMINISTRATOR, username="boss")
    boss.is_staff = True
    boss.save()
    device = totp_setup_start(user=boss)
    totp_setup_confirm(device=device, code=totp(secret_text(device)))
    clock.shift(30)
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/dashboard/login/?next=/admin/"
    client.post("/dashboard/login/", {"username": "boss", "password": PASSWORD, "next": "/admin/"})
    assert client.get("/admin/", follow=True).redirect_chain[-1][0].startswith("/dashboard/login/")
    assert enter_code(client, totp(secret_text(device)))["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
