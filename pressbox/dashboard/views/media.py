"""Dashboard: the media library (upload, browse, edit, delete) and the JSON upload
that drag-and-drop in the post editor uses (static/pressbox/dashboard/media.js)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from pressbox.dashboard.access import current_user, dashboard_view
from pressbox.media import services
from pressbox.media.forms import MediaForm, MediaUploadForm
from pressbox.media.models import Media
from pressbox.media.permissions import can_change_media
from pressbox.posts.models import Publishable

PER_PAGE = 24
NOT_YOURS = "Only whoever uploaded this image, or an editor, may change it."


@dashboard_view
def media_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    page = Paginator(Media.objects.search(query), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "dashboard/media/media_list.html", {"page_obj": page, "query": query})


@dashboard_view
def media_upload(request: HttpRequest) -> HttpResponse:
    form = MediaUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            media = services.media_upload(by=current_user(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Uploaded. Smaller sizes for phones are being made.")
            return redirect("dashboard:media-detail", pk=media.pk)
    return render(request, "dashboard/media/media_upload.html", {"form": form})


@require_POST
@dashboard_view
def media_upload_json(request: HttpRequest) -> JsonResponse:
    """Drag-and-drop: {"id", "url", "markdown", "width", "height"}, or {"error"} with 400."""
    try:
        media = services.media_upload(
            file=request.FILES.get("file"),
            alt_text=request.POST.get("alt_text", ""),
            by=current_user(request),
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    fields = {"id": media.pk, "url": media.url, "markdown": media.markdown}
    return JsonResponse({**fields, "width": media.width, "height": media.height}, status=201)


@dashboard_view
def media_detail(request: HttpRequest, pk: int) -> HttpResponse:
    media = get_object_or_404(Media.objects.select_related("uploaded_by__profile"), pk=pk)
    can_change = can_change_media(current_user(request), media)
    if request.method == "POST" and not can_change:
        raise PermissionDenied(NOT_YOURS)
    form = MediaForm(request.POST or None, instance=media) if can_change else None
    if form is not None and form.is_bound and form.is_valid():
        form.save()
        messages.success(request, "Saved.")
        return redirect("dashboard:media-detail", pk=media.pk)
    context = {"media": media, "form": form, "can_change": can_change}
    return render(request, "dashboard/media/media_detail.html", _with_usages(context, media))


@dashboard_view
def media_delete(request: HttpRequest, pk: int) -> HttpResponse:
    media = get_object_or_404(Media, pk=pk)
    if not can_change_media(current_user(request), media):
        raise PermissionDenied(NOT_YOURS)
    status = 200
    if request.method == "POST":
        try:
            services.media_delete(media=media, by=current_user(request))
        except services.MediaInUse:
            status = 409
        else:
            messages.success(request, f"Deleted “{media}”.")
            return redirect("dashboard:media-list")
    context = _with_usages({"media": media, "in_use": services.in_use_message(media)}, media)
    return render(request, "dashboard/media/media_confirm_delete.html", context, status=status)


def _with_usages(context: dict[str, Any], media: Media) -> dict[str, Any]:
    """Each post or page that shows the image, with a link to edit it where there is one."""
    context["usages"] = [
        {"title": usage.title, "kind": usage._meta.verbose_name, "status": usage.display_status,
         "url": _edit_url(usage)}
        for usage in media.usages()
    ]  # fmt: skip
    return context


def _edit_url(usage: Publishable) -> str | None:
    try:
        return reverse(f"dashboard:{usage._meta.model_name}-edit", kwargs={"pk": usage.pk})
    except NoReverseMatch:
        return usage.get_absolute_url() if usage.is_published() else None  # type: ignore[attr-defined]
