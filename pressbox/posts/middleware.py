from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from pressbox.posts.models import Redirect


class RedirectFallbackMiddleware:
    """Answer 301 from a stored Redirect when a page would otherwise be a 404.

    Old slugs and imported permalinks keep working; the lookup only costs a query
    on requests that were going to fail anyway.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in {"GET", "HEAD"}:
            return response
        path = request.path
        candidates = {path, path.rstrip("/") or "/", path if path.endswith("/") else path + "/"}
        found = Redirect.objects.filter(old_path__in=candidates).first()
        if found is None:
            return response
        return HttpResponsePermanentRedirect(found.new_path)
