"""The whole blog as a WordPress eXtended RSS file (WXR 1.2), as WordPress writes it.

The layout follows WordPress's own exporter element for element, so that WordPress's
importer (Tools → Import → WordPress) and Pressbox's `import_wxr` both read it: the
channel with every author, category and tag, then one <item> per attachment, post and
page, each post carrying its comments in every status. Markdown posts are written as
their rendered HTML, since WordPress shows HTML.

It is the owner's backup, so it holds commenters' emails and IP addresses as WordPress's
export does; the file is created readable by its owner alone (mode 0600).

Memory stays flat: items are written one at a time from `.iterator()`, with authors,
terms and comments prefetched per chunk, so the queries grow with the number of chunks,
never with the number of items. The file is written beside the target and renamed over
it at the end, so a failed export leaves no half-written file.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import to_locale

from pressbox.accounts.models import User
from pressbox.comments.models import Comment
from pressbox.exporters.wxr_xml import (
    Item,
    absolute,
    absolute_urls,
    cdata,
    meta_values,
    meta_xml,
    mysql_date,
    plain,
    rss_date,
)
from pressbox.importers.wordpress.conversion import FINISHED_HTML
from pressbox.media.models import Media
from pressbox.posts.models import Category, Page, Post, PostAuthor, SiteSettings, Tag

WXR_VERSION = "1.2"
NAMESPACES = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
}
CHUNK_SIZE = 200
FILE_MODE = 0o600

STATUS = {
    Post.Status.DRAFT: "draft",
    Post.Status.PENDING: "pending",
    Post.Status.PRIVATE: "private",
    Post.Status.PUBLISHED: "publish",
    Post.Status.SCHEDULED: "future",
}
APPROVED = {
    Comment.Status.APPROVED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.TRASH: "trash",
}
COMMENT_TYPE = {
    Comment.Kind.COMMENT: "",
    Comment.Kind.PINGBACK: "pingback",
    Comment.Kind.TRACKBACK: "trackback",
}
WXR_REF = re.compile(r"^wxr:(\d{1,18})$")

Progress = Callable[[int, int], None]
"""Called after each item with (items written, items in all)."""


class ExportError(Exception):
    """Why the file could not be written, as one sentence."""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass
class ExportSummary:
    path: Path
    authors: int = 0
    categories: int = 0
    tags: int = 0
    posts: int = 0
    pages: int = 0
    attachments: int = 0
    comments: int = 0

    def __str__(self) -> str:
        tags = "tag" if self.tags == 1 else "tags"
        categories = "category" if self.categories == 1 else "categories"
        return (
            f"Exported {_plural(self.authors, 'author')}, {self.categories} {categories}, "
            f"{self.tags} {tags}, {_plural(self.posts, 'post')}, {_plural(self.pages, 'page')}, "
            f"{_plural(self.attachments, 'attachment')} and {_plural(self.comments, 'comment')} "
            f"to {self.path}."
        )


def wxr_export(*, target: Path, progress: Progress | None = None) -> ExportSummary:
    """Write the whole blog to `target` (replaced atomically, mode 0600); raises
    ExportError when it cannot be written."""
    target = Path(target)
    if target.is_dir():
        raise ExportError(f"{target} is a folder; give the name of a file to write.")
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise ExportError(f"{target} cannot be written ({exc.strerror or exc}).") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            summary = _Export(out, target, progress).run()
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, FILE_MODE)
        os.replace(temp, target)
    except OSError as exc:
        _remove(temp)
        raise ExportError(f"{target} cannot be written ({exc.strerror or exc}).") from None
    except BaseException:
        _remove(temp)
        raise
    return summary


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _ref_id(ref: str) -> int | None:
    found = WXR_REF.match(ref or "")
    return int(found[1]) if found else None


def _imported_max(model: type[models.Model]) -> int:
    refs = model._default_manager.filter(import_ref__startswith="wxr:").order_by()
    values = refs.values_list("import_ref", flat=True).iterator(chunk_size=2000)
    return max((_ref_id(ref) or 0 for ref in values), default=0)


def _above(number: int) -> int:
    """The first power of ten above `number` (0 for 0): ids for new items start there."""
    return 10 ** len(str(number)) if number else 0


class WordPressIds:
    """The ids WordPress will see. An imported item keeps its WordPress id ("wxr:<id>"),
    so links into the old site and a second round trip stay the same; anything else
    gets an id above every imported one, posts, pages and attachments interleaved (they
    share one id space in WordPress) so that none collide and each stays put as the
    blog grows."""

    def __init__(self) -> None:
        imported = max(_imported_max(model) for model in (Post, Page, Media))
        self.items = _above(imported)
        self.comments = _above(_imported_max(Comment))

    def item(self, obj: Post | Page | Media) -> int:
        lane = {Post: 2, Page: 1, Media: 0}[type(obj)]
        return _ref_id(obj.import_ref) or self.items + 3 * obj.pk - lane

    def comment(self, comment: Comment) -> int:
        return _ref_id(comment.import_ref) or self.comments + comment.pk

    @staticmethod
    def category(pk: int) -> int:
        return 2 * pk - 1  # categories and tags share WordPress's term ids

    @staticmethod
    def tag(pk: int) -> int:
        return 2 * pk


class _Export:
    def __init__(self, out: IO[str], target: Path, progress: Progress | None) -> None:
        self.out, self.progress = out, progress
        self.summary = ExportSummary(path=target)
        self.site = SiteSettings.load()
        self.ids = WordPressIds()
        self.logins: dict[int, str] = {}
        self.owner = ""  # dc:creator of pages and unattributed items
        self.done = 0
        self.total = Media.objects.count() + Post.objects.count() + Page.objects.count()

    def run(self) -> ExportSummary:
        self.write(self.head())
        self.write_authors()
        self.write_categories()
        self.write_tags()
        self.write("\t<generator>Pressbox</generator>\n\n")
        self.write_items(self.attachment(m) for m in self.attachments())
        self.write_items(self.post(p) for p in self.posts())
        self.write_items(self.page(p) for p in self.pages())
        self.write("</channel>\n</rss>\n")
        return self.summary

    def write(self, text: str) -> None:
        self.out.write(text)

    def write_items(self, items: Iterable[Item]) -> None:
        for item in items:
            self.write(item.xml())
            self.done += 1
            if self.progress is not None:
                self.progress(self.done, self.total)

    def head(self) -> str:
        spaces = "\n".join(f'\txmlns:{name}="{uri}"' for name, uri in NAMESPACES.items())
        language = to_locale(settings.LANGUAGE_CODE).replace("_", "-")
        return (
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            "<!-- A WordPress eXtended RSS file written by Pressbox: the blog's authors,\n"
            "     categories, tags, posts, pages, attachments and comments, including\n"
            "     commenters' email and IP addresses. Keep it private. -->\n"
            f'<rss version="2.0"\n{spaces}\n>\n\n<channel>\n'
            f"\t<title>{plain(self.site.title)}</title>\n"
            f"\t<link>{plain(settings.SITE_URL)}</link>\n"
            f"\t<description>{plain(self.site.tagline)}</description>\n"
            f"\t<pubDate>{rss_date(timezone.now())}</pubDate>\n"
            f"\t<language>{plain(language)}</language>\n"
            f"\t<wp:wxr_version>{WXR_VERSION}</wp:wxr_version>\n"
            f"\t<wp:base_site_url>{plain(settings.SITE_URL)}</wp:base_site_url>\n"
            f"\t<wp:base_blog_url>{plain(settings.SITE_URL)}</wp:base_blog_url>\n\n"
        )

    def write_authors(self) -> None:
        users = User.objects.select_related("profile").order_by("pk")
        admin_seen = False  # pages have no author: they go to the first administrator
        for user in users.iterator(chunk_size=CHUNK_SIZE):
            self.logins[user.pk] = user.username
            if not self.owner or (user.is_superuser and not admin_seen):
                self.owner, admin_seen = user.username, user.is_superuser
            self.write(
                "\t<wp:author>\n"
                f"\t\t<wp:author_id>{user.pk}</wp:author_id>\n"
                f"\t\t<wp:author_login>{cdata(user.username)}</wp:author_login>\n"
                f"\t\t<wp:author_email>{cdata(user.email)}</wp:author_email>\n"
                f"\t\t<wp:author_display_name>{cdata(user.display_name)}"
                "</wp:author_display_name>\n"
                f"\t\t<wp:author_first_name>{cdata(user.first_name)}</wp:author_first_name>\n"
                f"\t\t<wp:author_last_name>{cdata(user.last_name)}</wp:author_last_name>\n"
                "\t</wp:author>\n"
            )
            self.summary.authors += 1
        self.write("\n")

    def write_categories(self) -> None:
        categories = list(Category.objects.order_by("pk"))
        slugs = {category.pk: category.slug for category in categories}
        for category in parents_first(categories):
            parent = slugs.get(category.parent_id or 0, "")
            self.write(
                "\t<wp:category>\n"
                f"\t\t<wp:term_id>{self.ids.category(category.pk)}</wp:term_id>\n"
                f"\t\t<wp:category_nicename>{cdata(category.slug)}</wp:category_nicename>\n"
                f"\t\t<wp:category_parent>{cdata(parent)}</wp:category_parent>\n"
                f"\t\t<wp:cat_name>{cdata(category.name)}</wp:cat_name>\n"
                f"\t\t<wp:category_description>{cdata(category.description)}"
                "</wp:category_description>\n"
                "\t</wp:category>\n"
            )
            self.summary.categories += 1

    def write_tags(self) -> None:
        for tag in Tag.objects.order_by("pk").iterator(chunk_size=CHUNK_SIZE):
            self.write(
                "\t<wp:tag>\n"
                f"\t\t<wp:term_id>{self.ids.tag(tag.pk)}</wp:term_id>\n"
                f"\t\t<wp:tag_slug>{cdata(tag.slug)}</wp:tag_slug>\n"
                f"\t\t<wp:tag_name>{cdata(tag.name)}</wp:tag_name>\n"
                f"\t\t<wp:tag_description>{cdata('')}</wp:tag_description>\n"
                "\t</wp:tag>\n"
            )
            self.summary.tags += 1
        self.write("\n")

    # Attachments, posts, pages ----------------------------------------------------------

    def attachments(self) -> Iterable[Media]:
        return Media.objects.order_by("pk").iterator(chunk_size=CHUNK_SIZE)

    def attachment(self, media: Media) -> Item:
        self.summary.attachments += 1
        url = absolute(media.url)
        name = PurePosixPath(media.file.name)
        title = media.title or name.stem
        attached = media.file.name.removeprefix("uploads/")
        meta = [("_wp_attached_file", attached)]
        if media.alt_text:
            meta.append(("_wp_attachment_image_alt", media.alt_text))
        return Item(
            title=title,
            link=url,
            guid=url,
            creator=self.logins.get(media.uploaded_by_id or 0, self.owner),
            wp_id=self.ids.item(media),
            date=media.created_at,
            modified=media.created_at,
            name=slugify(title, allow_unicode=True) or f"attachment-{media.pk}",
            status="inherit",
            post_type="attachment",
            excerpt=media.caption,  # WordPress keeps an attachment's caption as its excerpt
            attachment_url=url,
            meta=meta,
        )

    def posts(self) -> Iterable[Post]:
        authors = PostAuthor.objects.select_related("author").order_by("position", "pk")
        posts = (
            Post.objects.order_by("pk")
            .select_related("featured_image")
            .prefetch_related(
                Prefetch("post_authors", queryset=authors),
                Prefetch("categories", queryset=Category.objects.order_by("pk")),
                Prefetch("tags", queryset=Tag.objects.order_by("pk")),
                Prefetch("comments", queryset=Comment.objects.order_by("created_at", "pk")),
            )
        )
        return posts.iterator(chunk_size=CHUNK_SIZE)

    def post(self, post: Post) -> Item:
        self.summary.posts += 1
        logins = [row.author.username for row in post.post_authors.all()]
        terms = [("category", c.slug, c.name) for c in post.categories.all()]
        terms += [("post_tag", t.slug, t.name) for t in post.tags.all()]
        if len(logins) > 1:  # Co-Authors Plus: every author, in byline order
            terms += [("author", f"cap-{slugify(login) or login}", login) for login in logins]
        meta = [FINISHED_HTML]
        if post.featured_image is not None:
            meta.append(("_thumbnail_id", str(self.ids.item(post.featured_image))))
        if post.seo_description:
            meta.append(("_yoast_wpseo_metadesc", post.seo_description))
        wp_id = self.ids.item(post)
        opened = "open" if post.comments_open else "closed"
        return Item(
            title=post.title,
            link=absolute(post.permalink(self.site.permalink_structure)),
            guid=f"{settings.SITE_URL}/?p={wp_id}",
            creator=logins[0] if logins else self.owner,
            wp_id=wp_id,
            date=post.published_at or post.created_at,
            modified=post.updated_at,
            name=post.slug,
            status=self.status(post),
            post_type="post",
            content=self.content(post),
            excerpt=post.excerpt,
            comment_status=opened,
            ping_status=opened,
            sticky=post.sticky,
            terms=terms,
            meta=meta,
            comments=self.comments(list(post.comments.all())),
        )

    def pages(self) -> Iterable[Page]:
        return Page.objects.order_by("pk").iterator(chunk_size=CHUNK_SIZE)

    def page(self, page: Page) -> Item:
        self.summary.pages += 1
        wp_id = self.ids.item(page)
        return Item(
            title=page.title,
            link=absolute(page.get_absolute_url()),
            guid=f"{settings.SITE_URL}/?page_id={wp_id}",
            creator=self.owner,
            wp_id=wp_id,
            date=page.published_at or page.created_at,
            modified=page.updated_at,
            name=page.slug,
            status=self.status(page),
            post_type="page",
            content=self.content(page),
            menu_order=page.menu_order,
            meta=[FINISHED_HTML],
        )

    @staticmethod
    def status(item: Post | Page) -> str:
        """A scheduled item whose time has come reads as published, as WordPress's cron
        would have made it."""
        return "publish" if item.is_published() else STATUS[Post.Status(item.status)]

    @staticmethod
    def content(item: Post | Page) -> str:
        if item.body_format == Post.Format.HTML:
            return absolute_urls(item.body)
        return absolute_urls(item.body_html)

    def comments(self, comments: list[Comment]) -> list[str]:
        ids = {comment.pk: self.ids.comment(comment) for comment in comments}
        self.summary.comments += len(comments)
        return [self.comment(comment, ids) for comment in comments]

    def comment(self, comment: Comment, ids: dict[int, int]) -> str:
        parent = 0
        if comment.parent_id is not None:
            parent = ids.get(comment.parent_id) or self.ids.comments + comment.parent_id
        lines = [
            "\t\t<wp:comment>",
            f"\t\t\t<wp:comment_id>{ids[comment.pk]}</wp:comment_id>",
            f"\t\t\t<wp:comment_author>{cdata(comment.author_name)}</wp:comment_author>",
            "\t\t\t<wp:comment_author_email>"
            f"{cdata(comment.author_email)}</wp:comment_author_email>",
            f"\t\t\t<wp:comment_author_url>{plain(comment.author_url)}</wp:comment_author_url>",
            f"\t\t\t<wp:comment_author_IP>{cdata(comment.ip_address or '')}</wp:comment_author_IP>",
            f"\t\t\t<wp:comment_date>{cdata(mysql_date(comment.created_at))}</wp:comment_date>",
            "\t\t\t<wp:comment_date_gmt>"
            f"{cdata(mysql_date(comment.created_at, gmt=True))}</wp:comment_date_gmt>",
            # As readers saw it: WordPress keeps a comment's HTML, not our Markdown.
            f"\t\t\t<wp:comment_content>{cdata(comment.body_html)}</wp:comment_content>",
            f"\t\t\t<wp:comment_approved>{cdata(APPROVED[Comment.Status(comment.status)])}"
            "</wp:comment_approved>",
            f"\t\t\t<wp:comment_type>{cdata(COMMENT_TYPE[Comment.Kind(comment.kind)])}"
            "</wp:comment_type>",
            f"\t\t\t<wp:comment_parent>{parent}</wp:comment_parent>",
            f"\t\t\t<wp:comment_user_id>{comment.user_id or 0}</wp:comment_user_id>",
        ]
        for key, value in (comment.meta or {}).items():
            lines += [meta_xml("commentmeta", str(key), v, depth=3) for v in meta_values(value)]
        lines.append("\t\t</wp:comment>")
        return "\n".join(lines)


def parents_first(categories: list[Category]) -> list[Category]:
    """The tree walked from its roots, so each parent precedes its children (WordPress's
    importer looks a parent up as it reads a child); categories caught in a cycle last."""
    known = {category.pk for category in categories}
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        parent = category.parent_id if category.parent_id in known else None
        children.setdefault(parent, []).append(category)
    ordered: list[Category] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        category = stack.pop()
        ordered.append(category)
        stack.extend(reversed(children.get(category.pk, [])))
    placed = {category.pk for category in ordered}
    return ordered + [category for category in categories if category.pk not in placed]
