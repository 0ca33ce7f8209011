"""Security headers on every kind of response (pressbox/lib/security.py, issue 8)."""

import base64
import hashlib
import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import path

from pressbox.accounts.tests.people import PASSWORD, person
from pressbox.lib.security import content_security_policy
from pressbox.posts.factories import PostFactory
from pressbox.urls import urlpatterns as site_urls

URL = "/2024/05/knees/"


@pytest.fixture
def post(site_settings):
    return PostFactory(
        title="Stronger Knees", slug="knees", published_at=datetime(2024, 5, 14, tzinfo=UTC)
    )


def directives(response):
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


def assert_secure(response):
    assert response["Content-Security-Policy"] == content_security_policy()
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert directives(response)["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/", 200),
        (URL, 200),
        ("/feed/", 200),
        ("/feed/atom/", 200),
        ("/comments/feed/", 200),
        ("/sitemap.xml", 200),
        ("/robots.txt", 200),
        ("/2024/05/knees", 301),
        ("/no-such-page/", 404),
        ("/dashboard/login/", 200),
        ("/dashboard/", 302),
        ("/admin/", 302),
    ],
)
def test_every_public_response_carries_the_headers(client, post, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert_secure(response)


def test_a_cached_page_carries_the_same_headers_as_a_fresh_one(client, post):
    first, second = client.get(URL), Client().get(URL)
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert_secure(second)
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_cached_not_found_page_carries_the_headers(client, post):
    client.get("/nothing-here/")
    response = Client().get("/nothing-here/")
    assert (response.status_code, response["X-Cache"]) == (404, "HIT")
    assert_secure(response)


def test_the_dashboard_signed_in_carries_the_headers(client, db):
    client.force_login(person("author", username="maya"))
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert_secure(response)


def test_static_files_from_whitenoise_carry_the_headers(db, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/pressbox/theme.js")  # a new client loads the setting
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert_secure(response)


def test_the_policy_allows_only_script_files_from_the_site(client, post):
    found = directives(client.get(URL))
    assert found["script-src"] == ["'self'"]
    assert found["object-src"] == ["'none'"]
    assert found["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in found["style-src"]
    policy = client.get(URL)["Content-Security-Policy"]
    assert "unsafe" not in policy and "nonce" not in policy


def test_pages_have_no_inline_scripts_handlers_or_style_attributes(client, post):
    client.force_login(person("editor", username="eddie"))
    pages = ["/", URL, "/no-such-page/", "/dashboard/", "/dashboard/posts/new/"]
    pages += ["/dashboard/comments/", "/dashboard/media/", "/dashboard/profile/"]
    pages += ["/dashboard/profile/security/", "/dashboard/profile/security/two-factor/"]
    for url in pages:
        html = client.get(url).text
        # Data blocks (JSON-LD) are never run, so the policy does not govern them.
        inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
        assert all('type="application/ld+json"' in attrs for attrs in inline), url
        assert not re.search(r"\son[a-z]+\s*=", html), url
        assert not re.search(r"\sstyle\s*=", html), url


def boom(request):
    raise RuntimeError("broken on purpose")


urlpatterns = [path("boom/", boom), *site_urls]


@pytest.mark.urls(__name__)
def test_the_500_page_keeps_its_inline_style_under_the_policy(db):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    style = re.search(r"<style>(.*?)</style>", response.text, re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in directives(response)["style-src"]


def test_a_view_with_its_own_policy_keeps_it(client, db):
    response = client.get("/avatar/" + "0" * 32 + ".svg")
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


def test_hsts_only_when_asked(client, db, settings):
    assert "Strict-Transport-Security" not in client.get("/dashboard/login/", secure=True)
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = Client().get("/dashboard/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_https_cookies_are_secure_httponly_and_samesite(client, db, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    person("author", username="maya")
    client.get("/dashboard/login/", secure=True)
    response = client.post(
        "/dashboard/login/", {"username": "maya", "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")
    csrf = client.cookies["csrftoken"]
    assert (csrf["secure"], csrf["samesite"]) == (True, "Lax")
