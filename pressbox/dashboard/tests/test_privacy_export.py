"""/dashboard/privacy/, "Export personal data": everything kept about an address, as a
JSON download; and who may open the page."""

import json
import logging

import pytest
from django.test import Client
from django.utils import timezone

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import ReplySubscriber
from pressbox.dashboard.tests.posts_helpers import sign_in

URL = "/dashboard/privacy/"


@pytest.mark.parametrize("role", ["editor", "administrator"])
def test_moderators_find_the_privacy_page_in_the_menu(client, db, role):
    sign_in(client, role)
    response = client.get(URL)
    assert response.status_code == 200
    assert '<a href="/dashboard/privacy/" aria-current="page">Privacy</a>' in response.text
    assert 'value="export"' in response.text and 'value="erase"' in response.text


@pytest.mark.parametrize("role", ["author", "contributor"])
def test_authors_and_contributors_get_403(client, db, role):
    sign_in(client, role)
    CommentFactory(author_email="ann@example.net")
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"email": "ann@example.net", "action": "export"})
    assert response.status_code == 403
    assert "ann@example.net" not in response.text


def test_export_downloads_every_comment_and_the_subscription_of_the_address(client, db):
    sign_in(client, "editor")
    CommentFactory(author_name="Ann", author_email="ann@example.net", body="First!",
                   ip_address="198.51.100.23")  # fmt: skip
    CommentFactory(author_name="A.", author_email="ANN@example.net", status="spam")
    CommentFactory(author_email="bob@example.net")
    ReplySubscriber.objects.create(email="ann@example.net", confirmed_at=timezone.now())
    response = client.post(URL, {"email": " Ann@Example.NET ", "action": "export"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="personal-data-')
    assert "ann" not in disposition.lower()
    data = json.loads(response.content)
    assert data["email"] == "ann@example.net"
    assert [(c["name"], c["body"]) for c in data["comments"]][0] == ("Ann", "First!")
    assert data["comments"][0]["ip_address"] == "198.51.100.23"
    assert len(data["comments"]) == 2
    assert data["reply_subscription"]["active"] is True


def test_the_file_name_is_the_same_for_the_same_address_and_differs_for_another(client, db):
    sign_in(client, "editor")

    def name(email):
        return client.post(URL, {"email": email, "action": "export"})["Content-Disposition"]

    assert name("ann@example.net") == name("ANN@example.net") != name("bob@example.net")


def test_an_invalid_address_is_refused_at_the_field_with_the_text_kept(client, db):
    sign_in(client, "editor")
    response = client.post(URL, {"email": "ann at example", "action": "export"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert 'id="id_email_error">Enter a valid email address.' in response.text
    assert 'value="ann at example"' in response.text


def test_the_address_is_never_logged_and_is_masked_in_error_reports(client, db, caplog):
    sign_in(client, "editor")
    with caplog.at_level(logging.DEBUG):
        response = client.post(URL, {"email": "ann@example.net", "action": "export"})
        client.post(URL, {"email": "ann@example.net", "action": "erase", "confirm": "yes"})
    assert "ann@example.net" not in caplog.text
    assert response.wsgi_request.sensitive_post_parameters == ("email",)


def test_a_post_without_the_csrf_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "editor")
    response = client.post(URL, {"email": "ann@example.net", "action": "export"})
    assert response.status_code == 403
