"""gzip and brotli for HTML, feeds and JSON, chosen by the reader's Accept-Encoding (issue 7).

Two places compress. The page cache (`pressbox.lib.pagecache`) keeps each encoding of a
cached page beside the page itself, so a hit sends stored bytes and compresses nothing.
`CompressionMiddleware`, just outside the page cache in MIDDLEWARE, compresses the rest:
pages for signed-in people, forms, anything the cache does not keep. Static files are
whitenoise's (precompressed at collectstatic) and streaming responses are left alone.

Each encoding has its own ETag (the page's, with `-gzip` or `-br` added inside the
quotes), so a conditional GET compares like with like and `ConditionalGetMiddleware`,
outermost, answers 304 whichever encoding the reader holds.

Pages for one visitor are compressed with gzip only, with Django's "Heal the Breach"
random padding (as its GZipMiddleware does): brotli has no such padding, and those pages
may hold secrets (the CSRF token is also masked per response, Django's main defence
against BREACH). Shared pages hold no secret and get brotli too.
"""

from __future__ import annotations

import functools
import gzip
from collections.abc import Callable

import brotli
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_vary_headers, set_response_etag
from django.utils.text import compress_string

# Measured on a 30 KB page (issue 7 note): brotli quality 5 costs 1.6 ms and makes it
# 6.7 KB, gzip level 6 1.9 ms and 7.0 KB; brotli's top quality (11) costs 90 ms.
GZIP_LEVEL = 6
BROTLI_QUALITY = 5
MIN_LENGTH = 200  # smaller bodies gain less than the header costs
ENCODINGS = ("br", "gzip")  # in order of preference
TEXT_TYPES = {
    "text/html",
    "text/plain",
    "text/xml",
    "text/css",
    "text/javascript",
    "application/json",
    "application/feed+json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
}


@functools.lru_cache(maxsize=256)
def negotiate(accept_encoding: str, shared: bool = True) -> str | None:
    """The encoding to send for this Accept-Encoding header: "br", "gzip" or None.

    Quality values count (`gzip;q=0` refuses gzip, `*` stands for the rest); between
    equals brotli wins. `shared=False` (a page for one visitor) offers gzip only."""
    offered = ENCODINGS if shared else ("gzip",)
    weights: dict[str, float] = {}
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        name = "gzip" if name.strip() == "x-gzip" else name.strip()
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if name:
            weights[name] = weight
    best, best_weight = None, 0.0
    for name in offered:
        weight = weights.get(name, weights.get("*", 0.0))
        if weight > best_weight:
            best, best_weight = name, weight
    return best


def compressible(response: HttpResponseBase) -> bool:
    """A text body of some size that nothing has encoded yet."""
    if response.streaming or response.has_header("Content-Encoding"):
        return False
    content_type = response.get("Content-Type", "").partition(";")[0].strip().lower()
    if content_type not in TEXT_TYPES:
        return False
    assert isinstance(response, HttpResponse)
    return len(response.content) >= MIN_LENGTH


def compress(body: bytes, encoding: str) -> bytes:
    """The body in this encoding; deterministic, so a stored copy never changes."""
    if encoding == "br":
        return bytes(brotli.compress(body, quality=BROTLI_QUALITY))
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def decompress(body: bytes, encoding: str) -> bytes:
    """For tests and for checking stored files."""
    if encoding == "br":
        return bytes(brotli.decompress(body))
    return gzip.decompress(body)


def etag_for(etag: str, encoding: str) -> str:
    """`"abc"` -> `"abc-br"`; `W/"abc"` -> `W/"abc-br"`."""
    if etag.endswith('"'):
        return f'{etag[:-1]}-{encoding}"'
    return etag


def set_encoded(response: HttpResponse, body: bytes, encoding: str) -> None:
    """Put an encoded body in `response`, with the headers that go with it."""
    response.content = body
    response.headers["Content-Encoding"] = encoding
    response.headers["Content-Length"] = str(len(body))
    if etag := response.get("ETag"):
        response.headers["ETag"] = etag_for(etag, encoding)


class CompressionMiddleware:
    """Compresses the responses the page cache did not already answer encoded."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.get("X-Cache") == "HIT" or not compressible(response):
            return response  # a page-cache hit comes in the reader's encoding already
        assert isinstance(response, HttpResponse)
        if "accept-encoding" not in response.get("Vary", "").lower():
            patch_vary_headers(response, ("Accept-Encoding",))
        shared = not per_visitor(request, response)
        encoding = negotiate(request.META.get("HTTP_ACCEPT_ENCODING", ""), shared)
        if encoding is None:
            return response
        if request.method in ("GET", "HEAD") and not response.has_header("ETag"):
            set_response_etag(response)  # of the identity body, before encoding
        if shared:
            body = compress(response.content, encoding)
        else:
            body = compress_string(response.content, max_random_bytes=100)
        if len(body) < len(response.content):
            set_encoded(response, body, encoding)
        return response


def per_visitor(request: HttpRequest, response: HttpResponseBase) -> bool:
    """A response that may hold something of this visitor's: a session, or marked so."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES or response.cookies:
        return True
    control = response.get("Cache-Control", "").lower()
    return "private" in control or "no-store" in control
