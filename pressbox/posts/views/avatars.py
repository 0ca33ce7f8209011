from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from pressbox.lib.avatars import identicon_svg


@require_safe
def avatar(request: HttpRequest, key: str) -> HttpResponse:
    """An identicon drawn from the key alone: no lookup, cacheable for a year."""
    response = HttpResponse(identicon_svg(key), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
