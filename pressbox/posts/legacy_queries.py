"""WordPress's addresses by query string, answered with a 301 to the page they meant.

A WordPress site on "plain" permalinks links everything as `/?<variable>=<value>`, and
every WordPress site answers those forms, so old links, bookmarks and feed
subscriptions use them: `/?p=12` and `/?page_id=7` (shortlinks), `/?cat=3`,
`/?tag=squats`, `/?author=2`, `/?m=201905`, `/?paged=2`, `/?attachment_id=31` and
`/?feed=rss2` (alone, or with `p=` for a post's comments).

Items are found by their WordPress id when imported (`import_ref` "wxr:<id>"), else by
their own id; categories, authors and attachments of an import by the redirects the
importer wrote under their query form (`/?cat=3`). Only the home page's address reads
these, and only when one of them is in the query string, so other pages pay nothing.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.http import Http404, HttpRequest

from pressbox.posts.models import Page, Post, Redirect, Tag

# The query variables answered here, in the order WordPress weighs them.
VARIABLES = ("p", "page_id", "attachment_id", "cat", "author", "tag", "m", "paged", "feed")
FEEDS = {
    "": "feed/",
    "rss2": "feed/",
    "rss": "feed/",
    "rdf": "feed/",
    "atom": "feed/atom/",
    "json": "feed/json/",
}
COMMENT_FEEDS = {"comments-rss2": "/comments/feed/", "comments-atom": "/comments/feed/atom/"}
DIGITS = re.compile(r"[0-9]{1,18}")
MONTH = re.compile(r"([0-9]{4})([0-9]{2})?([0-9]{2})?")


def legacy_target(request: HttpRequest) -> str | None:
    """Where a WordPress query address leads, or None when the query holds none (the
    home page, or a search, is shown). Raises Http404 for one that names nothing."""
    query = request.GET
    if not any(name in query for name in VARIABLES):
        return None
    if "s" in query:  # a search's further pages: /?s=x&paged=2
        page = _number(query.get("paged", ""))
        if page is None or page < 2:
            return None
        return f"/page/{page}/?" + urlencode({"s": query["s"]})
    feed = query.get("feed")
    if feed is not None and feed in COMMENT_FEEDS and not _item_asked(request):
        return COMMENT_FEEDS[feed]
    target = _target(request)
    if target is None:
        return None
    if feed is not None:
        suffix = FEEDS.get(feed) if not feed.startswith("comments-") else "feed/"
        if suffix is None:
            raise Http404("No such feed.")
        return target + suffix
    return target


def _item_asked(request: HttpRequest) -> bool:
    return any(name in request.GET for name in ("p", "page_id"))


def _target(request: HttpRequest) -> str | None:
    query = request.GET
    for name, model in (("p", Post), ("page_id", Page)):
        if name in query:
            return _item(model, query[name])
    for name in ("attachment_id", "cat", "author"):
        if name in query:
            return _imported(name, query[name])
    if "tag" in query:
        return _tag(query["tag"][:200])
    if "m" in query:
        return _date(query["m"])
    if "paged" in query:
        page = _number(query["paged"])
        if page is None:
            return None
        return "/" if page < 2 else f"/page/{page}/"
    return "/"  # ?feed= alone: the site's feed


def _item(model: type[Post] | type[Page], raw: str) -> str | None:
    if DIGITS.fullmatch(raw) is None:
        return None  # not an id: the home page, as WordPress shows it
    published = model.objects.published()
    found = published.filter(import_ref=f"wxr:{raw}").first()
    if found is None:
        found = published.filter(pk=int(raw)).first()
    if found is None:
        raise Http404("No such post.")
    return found.get_absolute_url()


def _imported(name: str, raw: str) -> str:
    if DIGITS.fullmatch(raw) is not None:
        found = Redirect.objects.filter(old_path=f"/?{name}={raw}").first()
        if found is not None:
            return found.new_path
    raise Http404("Nothing here by that number.")


def _tag(slug: str) -> str:
    """The tag by its slug, or by the slug it had on WordPress (an import's redirect)."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is not None:
        return tag.get_absolute_url()
    moved = Redirect.objects.filter(old_path=f"/tag/{slug}/").first()
    if moved is None:
        raise Http404("No such tag.")
    return moved.new_path


def _date(raw: str) -> str:
    match = MONTH.fullmatch(raw)
    if match is None:
        raise Http404("No such date.")
    return "/" + "".join(f"{part}/" for part in match.groups() if part)


def _number(raw: str) -> int | None:
    return int(raw) if DIGITS.fullmatch(raw) else None
