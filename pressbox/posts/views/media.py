from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def media(request: HttpRequest, path: str) -> FileResponse:
    """Uploaded files (avatars, images) when no front server serves MEDIA_ROOT.

    MEDIA_ROOT is read per request, not when the URLconf loads, so it follows the
    settings in force (tests change it). `serve` refuses paths outside the root.
    """
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
