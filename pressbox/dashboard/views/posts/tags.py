"""/dashboard/posts/tags/?q=: tag names for the editor's autocomplete."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

from pressbox.dashboard.access import dashboard_view
from pressbox.posts.models import Tag

LIMIT = 10


@dashboard_view(permission="posts.change_post")
def tag_suggestions(request: HttpRequest) -> JsonResponse:
    """/dashboard/posts/tags/?q=sq: up to 10 tag names, those starting with q first."""
    query = request.GET.get("q", "").strip()[:100]
    if not query:
        return JsonResponse({"tags": []})
    starting = list(
        Tag.objects.filter(name__istartswith=query).values_list("name", flat=True)[:LIMIT]
    )
    more = Tag.objects.filter(name__icontains=query).exclude(name__in=starting)
    names = starting + list(more.values_list("name", flat=True)[: LIMIT - len(starting)])
    return JsonResponse({"tags": names})
