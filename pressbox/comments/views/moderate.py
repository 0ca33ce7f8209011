from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def moderate_by_link(request: HttpRequest, token: str) -> HttpResponse:
    raise Http404  # placeholder until author notifications land (issue 3)
