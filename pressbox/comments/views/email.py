from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def confirm_subscription(request: HttpRequest, token: str) -> HttpResponse:
    raise Http404  # placeholder until reply notifications land (issue 3)


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    raise Http404  # placeholder until reply notifications land (issue 3)
