"""Security headers on every response, and the client address behind a reverse proxy.

`SecurityHeadersMiddleware` sits first in MIDDLEWARE, outside the page cache, so a page
answered from the cache gets the same headers as a fresh one and a cached copy never
holds a policy older than the running code. Django's SecurityMiddleware adds nosniff,
Referrer-Policy, Cross-Origin-Opener-Policy and HSTS; XFrameOptionsMiddleware adds
X-Frame-Options; this adds the Content-Security-Policy (issue 8), and X-Frame-Options
where an answer came back before reaching that middleware.

The policy is one fixed string for every visitor and every request: no nonces, since a
cached page is shared by all readers. Scripts are external files only (`script-src
'self'`); the few inline <style> blocks we cannot move to a file (the 500 page, which must
work when static files do not, and one in Django's admin) are allowed by their SHA-256,
computed from the templates at start-up so an edit cannot silently break them. No
template has a style attribute or an inline event handler; scripts change styles through
the CSSOM (`element.style`, `hidden`), which CSP does not govern.

A view that sends a policy of its own (the sandboxed post preview, the SVG avatars)
keeps it.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import ipaddress
import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template

CSP_HEADER = "Content-Security-Policy"
# Templates whose inline <style> blocks are allowed by hash (their text must be static).
INLINE_STYLE_TEMPLATES = ("500.html", "admin/change_list.html")
_STYLE_RE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def style_hashes(template_names: Iterable[str] = INLINE_STYLE_TEMPLATES) -> list[str]:
    """CSP sources ('sha256-…') for each <style> block of the named templates."""
    found = []
    for name in template_names:
        source = get_template(name).template.source  # type: ignore[attr-defined]
        for block in _STYLE_RE.findall(source):
            if "{{" in block or "{%" in block:
                raise ImproperlyConfigured(
                    f"The <style> block in {name} uses template tags; its CSP hash would "
                    "change per page. Move it to a static file."
                )
            digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
            found.append(f"'sha256-{digest}'")
    return found


def content_security_policy() -> str:
    """The site's policy, the same for every page and visitor."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", *style_hashes()],
        # https: for pictures an imported post links from elsewhere and opt-in Gravatars;
        # blob: for the media uploader's preview of a chosen file.
        "img-src": ["'self'", "https:", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code >= 400:
            return response  # Django's debug pages are inline scripts and styles
        if CSP_HEADER not in response:
            response[CSP_HEADER] = self.policy
        if not getattr(response, "xframe_options_exempt", False):
            # For the answers that return before XFrameOptionsMiddleware adds it (a 301
            # from APPEND_SLASH, a static file).
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response


class ProxyHeadersMiddleware:
    """With PRESSBOX_BEHIND_PROXY, the visitor's address is the last one the proxy added
    to X-Forwarded-For (nginx's `$proxy_add_x_forwarded_for`); earlier entries are the
    client's to forge. Without it, the headers are ignored. Login throttling and comment
    records then see readers, not the proxy's 127.0.0.1."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.PRESSBOX_BEHIND_PROXY:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            last = forwarded.rsplit(",", 1)[-1].strip()
            with contextlib.suppress(ValueError):  # none, or garbage: keep the proxy's
                request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(last))
        return self.get_response(request)
