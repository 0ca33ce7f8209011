"""Static files through whitenoise: hashed names, precompressed, cached for ever (issue 7).

tests/nginx/ checks the same files served by nginx.
"""

import re

import pytest
from django.core.management import call_command

# Only the theme's files: collecting (and compressing) Django admin's takes seconds.
OTHER_APPS = ["admin", "django_otp", "otp_*"]


@pytest.fixture
def collected(settings, tmp_path, site_settings):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=OTHER_APPS)


def theme_url(client):
    page = client.get("/")
    return re.search(r'href="(/static/pressbox/theme\.[0-9a-f]{12}\.css)"', page.text).group(1)


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_pages_link_hashed_files_served_compressed_and_cached_for_ever(client, collected, encoding):
    reply = client.get(theme_url(client), headers={"Accept-Encoding": encoding})
    assert reply.status_code == 200
    assert reply["Cache-Control"] == "max-age=315360000, public, immutable"
    assert reply["Content-Encoding"] == encoding
    assert "Accept-Encoding" in reply["Vary"]
    reply.close()


def test_an_unhashed_name_may_change_so_it_is_kept_a_minute(client, collected):
    reply = client.get("/static/pressbox/theme.css")
    assert reply.status_code == 200
    assert reply["Cache-Control"] == "max-age=60, public"
    reply.close()


def test_a_browser_holding_a_static_file_gets_304(client, collected):
    url = theme_url(client)
    first = client.get(url)
    first.close()
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304
