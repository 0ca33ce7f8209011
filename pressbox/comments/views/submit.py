from __future__ import annotations

import json
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from pressbox.comments.forms import CommentForm
from pressbox.comments.models import Comment
from pressbox.comments.services import comment_submit
from pressbox.posts.views.detail import post_queryset, render_post


def same_origin(request: HttpRequest) -> bool:
    """Whether the browser says the form came from this site.

    The comment form sits on pages cached for everyone, so it carries no per-visitor
    CSRF token; instead a cross-site POST is refused by the Origin header, which every
    current browser sends with a form POST (Referer when Origin is absent). A request
    with neither comes from a non-browser client, which CSRF cannot ride on.
    """
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return source is None
    origin = urlsplit(source)
    allowed = {urlsplit(settings.SITE_URL).netloc, request.get_host()}
    return origin.netloc in allowed


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


@csrf_exempt  # see same_origin(): the page holding the form is cacheable
@require_POST
def post_comment(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_object_or_404(post_queryset(), pk=post_id)
    form = CommentForm(request.POST, post=post)
    if not same_origin(request):
        form.add_error(None, "This comment did not come from this site's form. Please try again.")
    if not form.is_valid():
        return render_post(request, post, form=form, status=400)
    comment = comment_submit(form=form, request=request)
    target = post.get_absolute_url()
    if comment.status == Comment.Status.PENDING:
        query = {"unapproved": str(comment.pk), "moderation-hash": comment.moderation_hash()}
        target += "?" + urlencode(query)
    response = HttpResponseSeeOther(f"{target}#{comment.anchor}")
    if form.cleaned_data.get("save_details"):
        remember_commenter(response, form)
    else:
        response.delete_cookie("pressbox_commenter")
    return response


def remember_commenter(response: HttpResponse, form: CommentForm) -> None:
    """With the commenter's consent only: name, email and website for next time, read
    by a small script in their browser so the cached page stays the same for all."""
    value = json.dumps(
        {k: form.cleaned_data.get(k) or "" for k in ("name", "email", "url")},
        separators=(",", ":"),
    )
    response.set_cookie(
        "pressbox_commenter",
        quote(value, safe=""),
        max_age=60 * 60 * 24 * 365,
        samesite="Lax",
        secure=settings.SITE_URL.startswith("https://"),
    )


def form_token(request: HttpRequest, post_id: int) -> HttpResponse:
    raise Http404  # placeholder until the signed form timestamp lands (issue 3)
