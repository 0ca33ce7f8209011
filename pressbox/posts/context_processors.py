from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

from pressbox.posts.models import Page, SiteSettings

NAV_CACHE_KEY = Page.NAV_CACHE_KEY


def nav_pages() -> list[tuple[str, str]]:
    """(title, url) of the pages in the site navigation, cached for a minute at most."""
    found = cache.get(NAV_CACHE_KEY)
    if found is None:
        pages = Page.objects.published().filter(show_in_menu=True).only("title", "slug")
        found = [(page.title, page.get_absolute_url()) for page in pages]
        cache.set(NAV_CACHE_KEY, found, 60)
    return found


def site(request: HttpRequest) -> dict[str, Any]:
    """`site` (the owner's settings) and `nav_pages` in every template."""
    return {"site": SiteSettings.load(), "nav_pages": nav_pages()}
