"""`/sitemap.xml`, its numbered parts and `/robots.txt` (sections in posts/sitemaps.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import http_date

from pressbox.posts.sitemaps import SECTIONS, SiteSitemap

XML = "application/xml"

# Private or per-visitor addresses. The comment feed lives under /comments/ too, so it is
# allowed first: crawlers that take the first matching rule (Python's robotparser) and
# those that take the longest (Google, Bing) both read it.
ROBOTS = """\
User-agent: *
Allow: /comments/feed/
Disallow: /comments/
Disallow: /dashboard/
Disallow: /admin/
Disallow: /preview/
Allow: /

Sitemap: {sitemap}
"""


@dataclass
class SitemapPart:
    """One numbered sitemap in the index (the names Django's sitemap_index.xml reads)."""

    location: str
    last_mod: datetime | None


def robots(request: HttpRequest) -> HttpResponse:
    sitemap = settings.SITE_URL + reverse("sitemap")
    return HttpResponse(ROBOTS.format(sitemap=sitemap), content_type="text/plain; charset=utf-8")


def _xml(
    request: HttpRequest, template: str, context: dict, lastmod: datetime | None
) -> TemplateResponse:
    headers = {"X-Robots-Tag": "noindex"}
    if lastmod is not None:
        headers["Last-Modified"] = http_date(lastmod.timestamp())
    return TemplateResponse(request, template, context, content_type=XML, headers=headers)


def sitemap(request: HttpRequest) -> TemplateResponse:
    """Every URL while they fit in one sitemap, else an index of the numbered parts."""
    maps = {name: section() for name, section in SECTIONS.items()}
    if sum(m.paginator.count for m in maps.values()) > SiteSitemap.limit:
        return sitemap_index(request, maps)
    urls = [url for m in maps.values() for url in m.get_urls(page=1)]
    lastmods = [url["lastmod"] for url in urls if url["lastmod"]]
    return _xml(request, "sitemap.xml", {"urlset": urls}, max(lastmods, default=None))


def sitemap_index(request: HttpRequest, maps: dict[str, SiteSitemap]) -> TemplateResponse:
    parts = []
    for name, m in maps.items():
        lastmod = m.get_latest_lastmod()
        for number in m.paginator.page_range if m.paginator.count else []:
            path = reverse("sitemap-section", kwargs={"section": name, "page": number})
            parts.append(SitemapPart(settings.SITE_URL + path, lastmod))
    lastmods = [part.last_mod for part in parts if part.last_mod]
    return _xml(request, "sitemap_index.xml", {"sitemaps": parts}, max(lastmods, default=None))


def sitemap_section(request: HttpRequest, section: str, page: str) -> TemplateResponse:
    """`/sitemap-<section>-<n>.xml`: one numbered part, as the index names them."""
    if section not in SECTIONS:
        raise Http404("No such sitemap.")
    m = SECTIONS[section]()
    try:
        urls = m.get_urls(page=int(page))
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such sitemap page.") from None
    lastmods = [url["lastmod"] for url in urls if url["lastmod"]]
    return _xml(request, "sitemap.xml", {"urlset": urls}, max(lastmods, default=None))
