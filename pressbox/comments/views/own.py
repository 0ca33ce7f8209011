from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def edit_comment(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404  # placeholder until the self-service views land (issue 3)


def delete_comment(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404  # placeholder until the self-service views land (issue 3)
