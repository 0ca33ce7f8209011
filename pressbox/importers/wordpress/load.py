"""Write a WordPress export to the database: the second reading of the file.

First what posts refer to (authors, categories and tags, attachments: see
`references`), then the items, streamed from the file a batch at a time. While one
batch is written, the next is read, its content converted (`conversion`) and its
posts and comments rendered (`render`: what `save()` would store, in a helper process
for a big export). Posts then go in with bulk inserts (`rows`), their search documents
alongside; pages one by one (there are few); then the batch's comments (`threads`).
Every old address of the site gets a redirect to its new one (`redirects`). Call
inside `transaction.atomic()`; `wxr_import` does.

An item is found again by `import_ref` ("wxr:<WordPress id>", which `/?p=<id>` and
`/?page_id=<id>` resolve), so importing the same file again updates every row and
duplicates none.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from django.utils import timezone

from pressbox.comments.models import Comment
from pressbox.comments.spam.bayes import train_many
from pressbox.importers.wordpress import rows
from pressbox.importers.wordpress.catalog import Catalog
from pressbox.importers.wordpress.content import plain_text
from pressbox.importers.wordpress.conversion import Conversion
from pressbox.importers.wordpress.dates import rss_datetime, wp_datetime
from pressbox.importers.wordpress.links import SiteURL
from pressbox.importers.wordpress.parse import Item, WxrReader
from pressbox.importers.wordpress.redirects import OldAddresses, Redirects
from pressbox.importers.wordpress.references import Authors, Terms, Uploads, wp_slug
from pressbox.importers.wordpress.render import (
    HELPER_FROM_ITEMS,
    PreparedPost,
    Rendered,
    Renderer,
    derive,
)
from pressbox.importers.wordpress.summary import WxrSummary, plural
from pressbox.importers.wordpress.threads import Threads
from pressbox.lib import pagecache
from pressbox.posts.models import Category, Page, Post, PostAuthor, Publishable, SiteSettings
from pressbox.search.models import Document

Progress = Callable[[int, int, str], None]
"""Called after each item with (items done, items in all, the item's title)."""

# Items written at a time, and comments: a batch is written when either is reached.
BATCH = 200
BATCH_COMMENTS = 5000
Status = Publishable.Status
STATUSES = {
    "publish": Status.PUBLISHED,
    "future": Status.SCHEDULED,
    "draft": Status.DRAFT,
    "pending": Status.PENDING,
    "private": Status.PRIVATE,
}
SKIPPED_STATUSES = {
    "trash": "it was in WordPress's trash",
    "auto-draft": "an empty auto-draft WordPress made on its own",
    "inherit": "a revision of another item",
}
SKIPPED_TYPES = {
    "nav_menu_item": "navigation menus are not imported",
    "revision": "revisions are not imported",
    "custom_css": "theme styles are not imported",
    "customize_changeset": "theme settings are not imported",
    "oembed_cache": "WordPress's embed cache is not needed",
    "wp_template": "block themes' templates are not imported",
    "wp_template_part": "block themes' templates are not imported",
    "wp_global_styles": "theme styles are not imported",
    "wp_navigation": "navigation menus are not imported",
}
SEO_DESCRIPTION_KEYS = ("_yoast_wpseo_metadesc", "_aioseo_description", "rank_math_description")
POST_FIELDS = [
    "title", "slug", "body", "body_format", "body_html", "toc", "summary", "word_count",
    "excerpt", "status", "published_at", "created_at", "updated_at", "comments_open",
    "sticky", "featured_image", "seo_description",
]  # fmt: skip

P = TypeVar("P", bound=Publishable)


def label(item: Item) -> str:
    kind = (item.post_type or "item").replace("_", " ")
    return f"{kind} {item.post_id or '?'} “{item.title or '(no title)'}”"


@dataclass
class Prepared:
    """A batch read, its conversion and rendering under way."""

    items: list[Item]
    posts: dict[str, Item]  # WordPress id -> item, the batch's posts, in order sent
    comment_ids: list[str]  # ids of the comments sent, in order
    rendering: Future


class WxrLoader:
    def __init__(
        self,
        catalog: Catalog,
        *,
        source: Path,
        uploads: Path | None = None,
        progress: Progress | None = None,
        helper: bool | None = None,
    ) -> None:
        self.catalog, self.source, self.progress = catalog, source, progress
        self.helper = catalog.items >= HELPER_FROM_ITEMS if helper is None else helper
        self.summary = WxrSummary()
        self.authors = Authors(self.summary)
        self.terms = Terms(self.summary)
        self.uploads = Uploads(catalog, uploads, self.summary, self._user_id)
        self.threads = Threads(self.summary, self.authors.by_wp_id)
        self.structure = SiteSettings.load().permalink_structure
        self.addresses = OldAddresses(catalog, Redirects(), self.structure)
        self.site = SiteURL.of(catalog.site.base_url)
        self.now = timezone.now()
        self.done = 0

    @property
    def created_files(self) -> list[str]:
        """Media files written so far, for the caller to remove if the import fails."""
        return self.uploads.created_files

    def load(self) -> WxrSummary:
        for author in self.catalog.authors:
            self.authors.load(author)
        self.terms.load(self.catalog.terms)
        self.addresses.of_terms(self.terms)
        self.addresses.of_authors(self.authors.by_wp_id)
        self.uploads.load_attachments()
        renderer = Renderer(
            self.content.convert,
            helper=self.helper,
            convert_in_helper=self.uploads.folder is None,
        )
        try:
            # Batch N is written while batch N+1 is read and rendered.
            waiting: Prepared | None = None
            for batch in self._batches():
                prepared = self._prepare(batch, renderer)
                if waiting is not None:
                    self._write(waiting)
                waiting = prepared
            if waiting is not None:
                self._write(waiting)
        finally:
            renderer.close()
        self.addresses.of_attachments(self.uploads.by_id)
        self.summary.redirects = self.addresses.redirects.save()
        train_many(Comment.objects.filter(pk__in=self.threads.learnt_ids()).iterator())
        pagecache.bump()
        return self.summary

    def _batches(self) -> Iterator[list[Item]]:
        batch: list[Item] = []
        comments = 0
        for entry in WxrReader(self.source):
            if not isinstance(entry, Item):
                continue
            if not self._wanted(entry):
                self._tick(entry)
                continue
            batch.append(entry)
            comments += len(entry.comments)
            if len(batch) >= BATCH or comments >= BATCH_COMMENTS:
                yield batch
                batch, comments = [], 0
        if batch:
            yield batch

    def _tick(self, item: Item) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, max(self.catalog.items, self.done), item.title)

    def _user_id(self, login: str) -> int | None:
        return self.authors.user_id(login) if login else None

    # Which items ---------------------------------------------------------------

    def _wanted(self, item: Item) -> bool:
        """Whether `item` is written as a post or page (or brings comments to one);
        records why not otherwise."""
        kind = item.post_type
        if kind in ("attachment", "wp_block"):
            return False  # read in the first pass
        if kind in ("post", "page"):
            if not item.post_id.isdigit():
                self.summary.skip(label(item), "it has no WordPress id")
                return False
            if item.status in SKIPPED_STATUSES:
                self.summary.skip(label(item), SKIPPED_STATUSES[item.status])
                return False
            return True
        if not kind and item.post_id.isdigit() and item.comments:
            return True  # comments for an item listed earlier (WordPress.com exports)
        if not kind:
            self.summary.skip(label(item), "not a WordPress post (it has no post type)")
        else:
            reason = SKIPPED_TYPES.get(kind, f"WordPress's “{kind}” items have no equivalent")
            self.summary.skip(label(item), reason)
        return False

    # A batch: read, then written ---------------------------------------------------

    def _prepare(self, batch: list[Item], renderer: Renderer) -> Prepared:
        """Start converting and rendering the batch's posts and comments."""
        posts: dict[str, Item] = {}
        for item in batch:
            if item.post_type == "post" and item.post_id not in posts:
                posts[item.post_id] = item
        comments = [c for item in batch if item.post_type != "page" for c in item.comments]
        rendering = renderer.submit(list(posts.values()), [c.content for c in comments])
        return Prepared(batch, posts, [c.id for c in comments], rendering)

    def _write(self, prepared: Prepared) -> None:
        rendered: Rendered = prepared.rendering.result()
        posts = self._posts(prepared, dict(zip(prepared.posts, rendered.posts, strict=True)))
        for item in prepared.items:
            if item.post_type == "page":
                self._page(item)
        threads = [(posts[ident], item.comments) for ident, item in prepared.posts.items()]
        orphans = [i for i in prepared.items if not i.post_type]
        found = {
            p.import_ref: p
            for p in Post.objects.filter(import_ref__in=[f"wxr:{i.post_id}" for i in orphans])
        }
        for item in orphans:
            post = posts.get(item.post_id) or found.get(f"wxr:{item.post_id}")
            if post is not None:
                threads.append((post, item.comments))
            else:
                self.summary.skip(label(item), "its comments are for no imported post")
        self.threads.write(threads, dict(zip(prepared.comment_ids, rendered.comments, strict=True)))
        for item in prepared.items:
            self._tick(item)

    def _posts(self, prepared: Prepared, ready: dict[str, PreparedPost]) -> dict[str, Post]:
        refs = [f"wxr:{ident}" for ident in prepared.posts]
        existing = {p.import_ref: p for p in Post.objects.filter(import_ref__in=refs)}
        posts: dict[str, Post] = {}
        documents: dict[str, dict[str, str]] = {}
        for ident, item in prepared.posts.items():
            post = existing.get(f"wxr:{ident}") or Post(import_ref=f"wxr:{ident}")
            this = ready[ident]
            self._fill(post, item, this.body)
            post.comments_open = item.comment_status != "closed"
            post.sticky = item.is_sticky == "1"
            post.excerpt = this.excerpt
            post.featured_image = self.uploads.by_id.get(item.meta_value("_thumbnail_id").strip())
            post.seo_description = _seo_description(item) or post.seo_description
            done = this.derived or derive(post.title, post.body, post.excerpt)
            post.body_html, post.toc = done.body_html, done.toc
            post.summary, post.word_count = done.summary, done.word_count
            posts[ident], documents[ident] = post, done.document
        self._slugs(Post, list(posts.values()), list(prepared.posts.values()))
        new = [p for p in posts.values() if p.pk is None]
        old = [p for p in posts.values() if p.pk is not None]
        rows.insert(Post, [post.__dict__ for post in new])
        ids = rows.ids_by_ref(Post, [p.import_ref for p in new])
        for post in new:
            post.pk = ids[post.import_ref]
            post._state.adding = False
            self.summary.posts.add(True)
        rows.update(Post, [post.__dict__ for post in old], POST_FIELDS)
        for _ in old:
            self.summary.posts.add(False)
        self._relations(posts, prepared.posts, [p.pk for p in old])
        self._index(posts, documents)
        for ident, post in posts.items():
            if post.status in Post.LIVE:
                self.addresses.moved(prepared.posts[ident].link, post.permalink(self.structure))
        return posts

    def _page(self, item: Item) -> None:
        ref = f"wxr:{item.post_id}"
        page = Page.objects.filter(import_ref=ref).first() or Page(import_ref=ref)
        created = page.pk is None
        self._fill(page, item, self.content.convert(item))
        page.menu_order = _number(item.menu_order)
        if created:
            page.show_in_menu = item.post_parent in ("", "0")
        self._slugs(Page, [page], [item])
        page.save(touch=False)
        self.summary.pages.add(created)
        if page.status in Page.LIVE:
            self.addresses.moved(item.link, page.get_absolute_url(), feed=False)
        if item.comments:
            self.summary.skip(
                f"{plural(len(item.comments), 'comment')} on {label(item)}",
                "pages take no comments in Pressbox",
            )

    def _fill(self, publishable: Publishable, item: Item, body: str) -> None:
        """What posts and pages share: title, content, status and dates."""
        publishable.title = plain_text(item.title)[:300]
        publishable.body = body
        publishable.body_format = Publishable.Format.HTML
        date = wp_datetime(item.post_date_gmt, item.post_date) or rss_datetime(item.pub_date)
        status = STATUSES.get(item.status, Status.DRAFT)
        if item.post_password and status in (*Publishable.LIVE, Status.PRIVATE):
            if status != Status.PRIVATE:
                self.summary.note(
                    label(item), "password-protected on WordPress, so imported as private"
                )
            status = Status.PRIVATE
        if status in (Status.DRAFT, Status.PENDING):
            publishable.published_at = None
        else:
            publishable.published_at = date or publishable.published_at or self.now
        if status in Publishable.LIVE:
            assert publishable.published_at is not None
            future = publishable.published_at > self.now
            status = Status.SCHEDULED if future else Status.PUBLISHED
        publishable.status = status
        created = date or publishable.published_at
        if publishable.pk is None or created is not None:
            publishable.created_at = created or self.now
        modified = wp_datetime(item.post_modified_gmt, item.post_modified)
        publishable.updated_at = modified or created or publishable.updated_at or self.now

    def _slugs(self, model: type[P], rows: list[P], items: list[Item]) -> None:
        """Each row's WordPress slug, or its current one, or one made from its title;
        -2, -3… when another row has it."""
        wanted = []
        for row, item in zip(rows, items, strict=True):
            wanted.append(wp_slug(item.post_name) or row.slug or wp_slug(row.title) or "untitled")
        taken = dict(model._default_manager.filter(slug__in=wanted).values_list("slug", "pk"))
        used: set[str] = set()
        for row, slug in zip(rows, wanted, strict=True):
            candidate, n = slug, 1
            while candidate in used or taken.get(candidate, row.pk) != row.pk:
                n += 1
                candidate = f"{slug[:190]}-{n}"
                if candidate not in taken:
                    others = model._default_manager.filter(slug=candidate).exclude(pk=row.pk)
                    taken[candidate] = others.values_list("pk", flat=True).first() or row.pk
            row.slug = candidate
            used.add(candidate)

    def _relations(
        self, posts: dict[str, Post], items: dict[str, Item], updated: list[int]
    ) -> None:
        """Categories, tags and co-authors, rewritten for the posts of the batch."""
        categories = Post.categories.through
        tags = Post.tags.through
        for model in (categories, tags, PostAuthor):
            model.objects.filter(post_id__in=updated).delete()
        category_rows: list[rows.Row] = []
        tag_rows: list[rows.Row] = []
        author_rows: list[rows.Row] = []
        for ident, post in posts.items():
            item = items[ident]
            seen: set[tuple[str, int]] = set()
            for term in item.terms:
                found = self.terms.for_item(term)
                if found is None or (str(found._meta.model_name), found.pk) in seen:
                    continue
                seen.add((str(found._meta.model_name), found.pk))
                if isinstance(found, Category):
                    category_rows.append({"post_id": post.pk, "category_id": found.pk})
                else:
                    tag_rows.append({"post_id": post.pk, "tag_id": found.pk})
            for position, user_id in enumerate(self._post_authors(item)):
                author_rows.append({"post_id": post.pk, "author_id": user_id, "position": position})
        rows.insert(categories, category_rows)
        rows.insert(tags, tag_rows)
        rows.insert(PostAuthor, author_rows)

    def _post_authors(self, item: Item) -> list[int]:
        """Co-Authors Plus's author terms in their order, else the item's creator."""
        users = []
        for term in item.terms:
            if term.domain == "author":
                login = term.slug[4:] if term.slug.startswith("cap-") else term.slug
                login = login or term.name
                if login:
                    users.append(self.authors.user_id(login, display_name=term.name))
        if not users and item.creator:
            users.append(self.authors.user_id(item.creator))
        return list(dict.fromkeys(users))

    def _index(self, posts: dict[str, Post], documents: dict[str, dict[str, str]]) -> None:
        """The search documents of the batch's live posts, as saving each would write
        them (pressbox.search.index); the others have none."""
        pks = [post.pk for post in posts.values()]
        for start in range(0, len(pks), rows.LOOKUP):
            Document.objects.filter(post_id__in=pks[start : start + rows.LOOKUP]).delete()
        rows.insert(
            Document,
            [
                {"post_id": post.pk, **documents[ident]}
                for ident, post in posts.items()
                if post.status in Post.LIVE
            ],
        )

    @functools.cached_property
    def content(self) -> Conversion:
        return Conversion(self.catalog, self.uploads, self.site)


def _seo_description(item: Item) -> str:
    for key in SEO_DESCRIPTION_KEYS:
        value = item.meta_value(key).strip()
        if value and "%%" not in value:  # Yoast's template variables mean nothing here
            return html.unescape(value)[:160]
    return ""


def _number(text: str) -> int:
    return int(text) if re.fullmatch(r"-?\d{1,9}", text.strip() or "x") else 0
