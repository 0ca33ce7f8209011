"""`{% load seo_tags %}`: a page's <head> data (pressbox.posts.seo) and the JSON-LD
writer, for `templates/posts/_seo.html` and the templates that include it."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from pressbox.accounts.models import User
from pressbox.posts import seo
from pressbox.posts.models import Page, Post

register = template.Library()

# What could end the <script> or start markup inside it, as JSON escapes: a title such
# as "</script><script>…" stays a string (the same escapes as Django's json_script).
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def jsonld(data: dict[str, Any] | None) -> str:
    """`{{ meta.jsonld|jsonld }}`: a `<script type="application/ld+json">` element."""
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_SAFE)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.filter
def absolute(url: str) -> str:
    """`{{ path|absolute }}`: the URL on `settings.SITE_URL`."""
    return seo.absolute(str(url))


@register.simple_tag
def post_seo(post: Post, url: str, authors: list[User]) -> seo.PageMeta:
    """`{% post_seo post comment_page.url authors as meta %}`"""
    return seo.post_meta(post, url=url, authors=list(authors))


@register.simple_tag
def page_seo(page: Page) -> seo.PageMeta:
    return seo.page_meta(page)


@register.simple_tag
def archive_seo(
    kind: str,
    base_path: str,
    page: int = 1,
    title: str = "",
    description: str = "",
    author: User | None = None,
) -> seo.PageMeta:
    """`{% archive_seo archive_kind base_path page_obj.number title=… as meta %}`"""
    return seo.archive_meta(
        kind=kind,
        base_path=base_path,
        page=int(page or 1),
        title=str(title or ""),
        description=str(description or ""),
        author=author or None,
    )
