"""/dashboard/login/: throttled per account and per IP, without telling who exists."""

import time_machine
from django.core.cache import cache
from django.test import Client

from pressbox.accounts.roles import Role
from pressbox.accounts.tests.people import PASSWORD, person

TOO_MANY = "Too many failed attempts. Please wait 15 minutes, or reset your password."


def log_in(client, username, password, ip="203.0.113.9"):
    return client.post(
        "/dashboard/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def fail(client, username, times, ip="203.0.113.9"):
    for _ in range(times):
        assert log_in(client, username, "wrong", ip).status_code == 200


def test_five_wrong_passwords_then_the_right_one_is_refused(client, db):
    person(Role.AUTHOR, username="maya")
    fail(client, "maya", 5)
    response = log_in(client, "maya", PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert TOO_MANY in response.text
    assert "_auth_user_id" not in client.session


def test_an_unknown_username_gets_the_same_refusal(client, db):
    fail(client, "nobody-here", 5)
    response = log_in(client, "nobody-here", "anything")
    assert response.status_code == 429
    assert TOO_MANY in response.text


def test_another_account_from_the_same_ip_works_until_the_ip_limit(client, db):
    person(Role.AUTHOR, username="tomas")
    for n in range(19):
        fail(client, f"guess{n}", 1)
    assert log_in(client, "tomas", PASSWORD).status_code == 302
    client.logout()
    fail(client, "guess19", 1)
    assert log_in(client, "tomas", PASSWORD).status_code == 429
    assert log_in(client, "tomas", PASSWORD, ip="198.51.100.7").status_code == 302


def test_the_counters_expire_after_fifteen_minutes(client, db):
    person(Role.AUTHOR, username="maya")
    with time_machine.travel("2025-03-01 09:00Z", tick=False) as traveller:
        fail(client, "maya", 5)
        traveller.shift(14 * 60)
        assert log_in(client, "maya", PASSWORD).status_code == 429
        traveller.shift(60 + 1)
        assert log_in(client, "maya", PASSWORD).status_code == 302


def test_a_successful_login_clears_the_account_counter(client, db):
    person(Role.AUTHOR, username="maya")
    fail(client, "maya", 4)
    assert log_in(client, "maya", PASSWORD).status_code == 302
    client.logout()
    fail(client, "maya", 4)
    assert log_in(client, "maya", PASSWORD).status_code == 302


def test_changing_the_case_of_the_username_gains_no_attempts(client, db):
    person(Role.AUTHOR, username="maya")
    for name in ["maya", "Maya", "MAYA", " maya", "mAya"]:
        fail(client, name, 1)
    assert log_in(client, "maya", PASSWORD).status_code == 429


def test_the_cache_holds_no_username_or_address(client, db):
    fail(client, "maya", 1, ip="203.0.113.9")
    keys = " ".join(cache._cache)
    assert "login-failures" in keys
    assert "maya" not in keys
    assert "203.0.113.9" not in keys


def test_a_wrong_password_is_tied_to_the_form_and_keeps_the_username(client, db):
    person(Role.AUTHOR, username="maya")
    response = log_in(client, "maya", "wrong")
    assert 'value="maya"' in response.text
    assert '<div class="form-errors" role="alert" id="login-errors">' in response.text
    assert 'aria-describedby="login-errors"' in response.text
    assert "Please enter a correct username and password" in response.text


def test_login_refuses_a_post_without_the_csrf_token(db):
    person(Role.AUTHOR, username="maya")
    response = log_in(Client(enforce_csrf_checks=True), "maya", PASSWORD)
    assert response.status_code == 403


def test_login_page_links_to_the_password_reset(client, db):
    response = client.get("/dashboard/login/")
    assert 'href="/dashboard/password-reset/"' in response.text


def test_behind_a_proxy_each_forwarded_address_has_its_own_counter(client, db, settings):
    settings.PRESSBOX_BEHIND_PROXY = True
    person(Role.AUTHOR, username="tomas")
    nginx = {"REMOTE_ADDR": "127.0.0.1"}
    for n in range(20):
        client.post(
            "/dashboard/login/",
            {"username": f"guess{n}", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.9",  # nginx appended the last one
            **nginx,
        )
    form = {"username": "tomas", "password": PASSWORD}
    blocked = client.post("/dashboard/login/", form, HTTP_X_FORWARDED_FOR="203.0.113.9", **nginx)
    assert blocked.status_code == 429
    other = client.post("/dashboard/login/", form, HTTP_X_FORWARDED_FOR="198.51.100.7", **nginx)
    assert other.status_code == 302


def test_without_a_proxy_a_forged_forwarded_address_gains_nothing(client, db):
    person(Role.AUTHOR, username="tomas")
    for n in range(20):
        client.post(
            "/dashboard/login/",
            {"username": f"guess{n}", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
            REMOTE_ADDR="203.0.113.9",
        )
    response = client.post(
        "/dashboard/login/",
        {"username": "tomas", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.1",
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 429
    assert TOO_MANY in response.text
