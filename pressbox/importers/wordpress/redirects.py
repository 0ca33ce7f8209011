"""Old addresses answering 301 to new ones (`posts.Redirect`), written in bulk.

Paths are stored decoded, as Django's `request.path` has them, so that a %-escaped
slug and its Unicode spelling are one address. No redirect leads to itself, and
none to another redirect: once the import's are written, chains are cut short to
their final address.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from django.db.models import F

from pressbox.accounts.models import User
from pressbox.importers.wordpress import rows
from pressbox.importers.wordpress.catalog import Catalog
from pressbox.importers.wordpress.links import SiteURL
from pressbox.importers.wordpress.references import Terms
from pressbox.media.models import Media
from pressbox.posts.models import Post, Redirect

MAX_PATH = 500  # Redirect.old_path's length
# A plain-permalink address that no path can stand for (see `posts.legacy_queries`).
QUERY_LINK = re.compile(r"/\?(attachment_id|cat|author)=([0-9]{1,18})")
CHUNK = 500  # ids a query looks up


class Redirects:
    def __init__(self) -> None:
        self.pending: dict[str, str] = {}
        self.written = 0

    def add(self, old: str | None, new: str, *, feed: bool) -> None:
        """Send `old` to `new`; with `feed`, `old`'s feed to `new`'s as well."""
        if not old:
            return
        old, new = unquote(old), unquote(new)
        if old == "/" or old == new or len(old) > MAX_PATH or len(new) > MAX_PATH:
            return
        self.pending[old] = new
        if feed and old.endswith("/") and new.endswith("/"):
            self.add(old + "feed/", new + "feed/", feed=False)
        if len(self.pending) >= 500:
            self._flush()

    def _flush(self) -> None:
        # The new addresses are live: a redirect left there from before is stale.
        targets = sorted(set(self.pending.values()))
        for start in range(0, len(targets), CHUNK):
            Redirect.objects.filter(old_path__in=targets[start : start + CHUNK]).delete()
        records = [{"old_path": old, "new_path": new} for old, new in self.pending.items()]
        rows.upsert(Redirect, records, unique="old_path", update="new_path")
        self.written += len(records)
        self.pending.clear()

    def save(self) -> int:
        """Write what is pending, straighten chains; returns how many paths redirect."""
        self._flush()
        _settle()
        return self.written


def _settle() -> None:
    """Point every redirect at its final address and drop those that lead to themselves
    (a page imported where an older redirect used to send its readers away)."""
    for _ in range(10):
        olds = Redirect.objects.values("old_path")
        chained = list(Redirect.objects.filter(new_path__in=olds))
        if not chained:
            break
        targets = dict(
            Redirect.objects.filter(old_path__in=[r.new_path for r in chained]).values_list(
                "old_path", "new_path"
            )
        )
        for redirect in chained:
            redirect.new_path = targets.get(redirect.new_path, redirect.new_path)
        Redirect.objects.bulk_update(chained, ["new_path"])
    Redirect.objects.filter(old_path=F("new_path")).delete()


class OldAddresses:
    """The old site's addresses, each sent to where its item is now.

    Paths are taken relative to the old site's address, so a blog that lived at
    https://example.com/blog works from a new domain's root; when it had such a
    sub-path, the full old path (/blog/…) is sent along too, for a Pressbox that
    takes over the old domain itself.
    """

    def __init__(self, catalog: Catalog, redirects: Redirects, structure: str) -> None:
        self.catalog, self.redirects, self.structure = catalog, redirects, structure
        self.site = SiteURL.of(catalog.site.base_url)

    def path(self, link: str) -> str | None:
        """The path of an old permalink on this site ("/2019/05/hello/"), or None for a
        link elsewhere. A plain-permalink link keeps its one query variable
        ("/?attachment_id=31"), as `posts.legacy_queries` looks it up; `?p=` and
        `?page_id=` are found by the item's WordPress id instead."""
        if self.site is None or not link:
            return None
        path = self.site.local_path(link, relative_ok=False)
        if path is None:
            return None
        path = path.split("#")[0]
        if "?" not in path:
            return path
        match = QUERY_LINK.fullmatch(path)
        return f"/?{match[1]}={match[2]}" if match else None

    def send(self, old: str | None, new: str, *, feed: bool) -> None:
        """`old` (relative to the old site) leads to `new`, under the sub-path too."""
        if old is None:
            return
        self.redirects.add(old, new, feed=feed)
        if self.site is not None and self.site.path:
            self.redirects.add(self.site.path + old, new, feed=feed)

    def moved(self, link: str, new: str, *, feed: bool = True) -> None:
        """An item's old permalink (and its comment feed) leads to `new`."""
        self.send(self.path(link), new, feed=feed)

    def of_terms(self, terms: Terms) -> None:
        """/category/<old path>/ and /tag/<old slug>/, where the slug changed."""
        for slug, category in terms.categories.items():
            old = terms.old_category_path(slug)
            self.send(old, category.get_absolute_url(), feed=True)
        for slug, tag in terms.tags.items():
            self.send(f"/tag/{slug}/", tag.get_absolute_url(), feed=True)
        for slug, wp_id in terms.wp_ids.items():  # plain permalinks: /?cat=3
            if slug in terms.categories:
                self.redirects.add(
                    f"/?cat={wp_id}", terms.categories[slug].get_absolute_url(), feed=False
                )

    def of_authors(self, authors: dict[str, int]) -> None:
        """`/?author=<WordPress id>` leads to the author's archive."""
        names = dict(User.objects.filter(pk__in=authors.values()).values_list("pk", "username"))
        for wp_id, user_id in authors.items():
            if user_id in names:
                self.redirects.add(f"/?author={wp_id}", f"/author/{names[user_id]}/", feed=False)

    def of_attachments(self, media: dict[str, Media]) -> None:
        """An attachment's page leads to the post it belongs to, else to its file."""
        attachments = list(self.catalog.attachments.values())
        refs = sorted({f"wxr:{a.parent}" for a in attachments if a.parent != "0"})
        parents: dict[str, Post] = {}
        for start in range(0, len(refs), CHUNK):
            live = Post.objects.filter(import_ref__in=refs[start : start + CHUNK])
            parents.update((p.import_ref, p) for p in live.filter(status__in=Post.LIVE))
        for attachment in attachments:
            parent = parents.get(f"wxr:{attachment.parent}")
            if parent is not None:
                target = parent.permalink(self.structure)
            elif attachment.id in media:
                target = media[attachment.id].url
            else:
                continue
            self.moved(attachment.link, target, feed=False)
