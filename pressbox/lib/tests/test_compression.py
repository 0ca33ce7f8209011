"""gzip and brotli chosen by Accept-Encoding (pressbox/lib/compression.py, issue 7).

Cached pages are covered in pressbox/tests/test_pagecache.py; here, responses the page
cache does not keep: the cache turned off, pages for signed-in people, JSON.
"""

from datetime import UTC, datetime

import pytest
import time_machine

from pressbox.lib import compression
from pressbox.lib.compression import decompress, negotiate
from pressbox.posts.factories import PostFactory

URL = "/2024/05/knees/"
BROWSER = "gzip, deflate, br, zstd"


@pytest.fixture
def post(site_settings, no_page_cache):
    return PostFactory(
        title="Stronger Knees",
        slug="knees",
        body="Squat slowly. " * 200,
        published_at=datetime(2024, 5, 14, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("", None),
        ("identity", None),
        ("gzip", "gzip"),
        ("x-gzip", "gzip"),
        ("gzip, deflate, br, zstd", "br"),
        ("br;q=0.5, gzip", "gzip"),
        ("br;q=0, gzip;q=0", None),
        ("*", "br"),
        ("*;q=0.1, br;q=0", "gzip"),
        ("GZIP;Q=1.0", "gzip"),
        ("gzip;q=oops", None),
    ],
)
def test_the_encoding_follows_the_readers_preferences(header, chosen):
    assert negotiate(header) == chosen


def test_a_page_for_one_visitor_is_never_sent_in_brotli():
    assert negotiate(BROWSER, shared=False) == "gzip"
    assert negotiate("br", shared=False) is None


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_an_uncached_page_comes_compressed_in_the_asked_encoding(client, post, encoding):
    with time_machine.travel(datetime(2025, 1, 1, tzinfo=UTC), tick=False):  # same form token
        plain = client.get(URL)
        packed = client.get(URL, headers={"Accept-Encoding": encoding})
    assert "X-Cache" not in packed
    assert packed["Content-Encoding"] == encoding
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 3
    assert decompress(packed.content, encoding) == plain.content
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]


def test_a_reader_asking_for_no_encoding_gets_the_page_as_it_is(client, post):
    response = client.get(URL, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response
    assert b"Stronger Knees" in response.content


@pytest.mark.parametrize("path", ["/feed/", "/feed/atom/", "/feed/json/", "/sitemap.xml"])
def test_feeds_and_json_are_compressed_too(client, post, path):
    plain = client.get(path)
    packed = client.get(path, headers={"Accept-Encoding": BROWSER})
    assert packed["Content-Encoding"] == "br"
    assert decompress(packed.content, "br") == plain.content


@time_machine.travel(datetime(2025, 1, 1, tzinfo=UTC), tick=False)  # one form token
def test_each_encoding_has_its_own_etag_and_each_gets_its_304(client, post):
    etags = {}
    for encoding in ("identity", "gzip", "br"):
        etags[encoding] = client.get(URL, headers={"Accept-Encoding": encoding})["ETag"]
        again = client.get(
            URL, headers={"Accept-Encoding": encoding, "If-None-Match": etags[encoding]}
        )
        assert (again.status_code, again.content) == (304, b""), encoding
    assert len(set(etags.values())) == 3
    # A reader holding the gzip copy who now asks for brotli gets the brotli copy.
    switched = client.get(URL, headers={"Accept-Encoding": "br", "If-None-Match": etags["gzip"]})
    assert (switched.status_code, switched["Content-Encoding"]) == (200, "br")


def test_a_signed_in_readers_page_gets_gzip_with_padding_not_brotli(client, post, author):
    client.force_login(author)
    with time_machine.travel(datetime(2025, 1, 1, tzinfo=UTC), tick=False):
        first = client.get(URL, headers={"Accept-Encoding": BROWSER})
        second = client.get(URL, headers={"Accept-Encoding": BROWSER})
    assert first["Content-Encoding"] == second["Content-Encoding"] == "gzip"
    assert decompress(first.content, "gzip") == decompress(second.content, "gzip")
    assert first.content != second.content  # Django's random padding against BREACH
    assert first["ETag"] == second["ETag"]  # made from the page, not the padded bytes


def test_small_responses_are_left_alone(client, post):
    robots = client.get("/robots.txt", headers={"Accept-Encoding": BROWSER})
    assert len(robots.content) < compression.MIN_LENGTH
    assert "Content-Encoding" not in robots


@pytest.mark.parametrize("path", ["/feed/", "/feed/atom/", "/feed/json/"])
def test_uncached_feeds_answer_304_by_etag_and_by_date_in_any_encoding(client, post, path):
    for encoding in ("identity", "br"):
        first = client.get(path, headers={"Accept-Encoding": encoding})
        for header, value in (
            ("If-None-Match", first["ETag"]),
            ("If-Modified-Since", first["Last-Modified"]),
        ):
            again = client.get(path, headers={"Accept-Encoding": encoding, header: value})
            assert (again.status_code, again.content) == (304, b""), (encoding, header)
