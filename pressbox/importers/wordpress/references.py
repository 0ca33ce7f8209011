"""What posts point at: authors, categories, tags and uploaded files.

Each is found again on a second import instead of duplicated: users by email, then
by login; categories and tags by slug; media by `import_ref` ("wxr:<attachment id>",
or "wxr-file:<path>" for a file the content shows without an attachment item).
Authors become accounts without a usable password (the owner invites them from the
dashboard), with the author role.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.text import slugify

from pressbox.accounts.models import AuthorProfile, User
from pressbox.accounts.roles import Role, role_assign
from pressbox.importers.wordpress.catalog import Attachment, Catalog
from pressbox.importers.wordpress.links import Place, SiteURL
from pressbox.importers.wordpress.parse import Author, ItemTerm, Term
from pressbox.importers.wordpress.summary import WxrSummary
from pressbox.media.models import Media
from pressbox.media.services import media_upload
from pressbox.posts.models import Category, Tag

# WordPress's resized copies and edited originals: photo-300x200.jpg, photo-scaled.jpg.
_SIZE_SUFFIX = re.compile(r"(?:-\d{1,5}x\d{1,5}|-scaled|-rotated|-e\d{10,13})+(?=\.\w{2,5}$)")


def wp_slug(text: str) -> str:
    """A WordPress slug (often %-escaped: %e8%bf%9c) as a Pressbox slug."""
    return slugify(unquote(text), allow_unicode=True)[:200]


class Authors:
    """Accounts for the export's authors, created or found once per login."""

    def __init__(self, summary: WxrSummary) -> None:
        self.summary = summary
        self.by_login: dict[str, int] = {}
        self.by_wp_id: dict[str, int] = {}

    def load(self, author: Author) -> int:
        user_id = self.user_id(
            author.login,
            email=author.email,
            first_name=author.first_name,
            last_name=author.last_name,
            display_name=author.display_name,
        )
        if author.id:
            self.by_wp_id[author.id] = user_id
        return user_id

    def user_id(
        self,
        login: str,
        *,
        email: str = "",
        first_name: str = "",
        last_name: str = "",
        display_name: str = "",
    ) -> int:
        key = login.lower()
        if key in self.by_login:
            return self.by_login[key]
        user = None
        if email:
            user = User.objects.filter(email__iexact=email).order_by("pk").first()
        if user is None:
            user = User.objects.filter(username__iexact=login).order_by("pk").first()
        created = user is None
        if user is None:
            user = User(username=login[:150], email=email[:254])
            user.set_unusable_password()
        user.email = user.email or email[:254]
        user.first_name = user.first_name or first_name[:150]
        user.last_name = user.last_name or last_name[:150]
        user.save()
        profile, _ = AuthorProfile.objects.get_or_create(user=user)
        if not profile.display_name:
            profile.display_name = _display_name(login, display_name, first_name, last_name)
            profile.save()
        if created:
            role_assign(user=user, role=Role.AUTHOR)
        self.summary.authors.add(created, key=user.pk)
        self.by_login[key] = user.pk
        return user.pk


def _display_name(login: str, display: str, first: str, last: str) -> str:
    """WordPress's display name, unless it is only the login and a real name is known."""
    full = " ".join(part for part in (first, last) if part)
    if display and (display != login or not full):
        return display[:200]
    return (full or login)[:200]


class Terms:
    """Categories (with their tree) and tags, by their WordPress slug."""

    def __init__(self, summary: WxrSummary) -> None:
        self.summary = summary
        self.categories: dict[str, Category] = {}
        self.tags: dict[str, Tag] = {}
        self.old_parent: dict[str, str] = {}  # category slug -> its parent's, as in WordPress
        self.wp_ids: dict[str, str] = {}  # category slug -> its WordPress term id

    def load(self, terms: list[Term]) -> None:
        for term in terms:
            if term.taxonomy == "category":
                self.category(term.slug, term.name, description=term.description)
                if term.id:
                    self.wp_ids[term.slug or term.name] = term.id
                if term.parent:
                    self.old_parent[term.slug or term.name] = term.parent
            elif term.taxonomy == "post_tag":
                self.tag(term.slug, term.name)
        for slug, parent_slug in self.old_parent.items():
            child, parent = self.categories.get(slug), self.categories.get(parent_slug)
            if (
                child
                and parent
                and child.parent_id != parent.pk
                and child.pk != parent.pk
                and child.pk not in {a.pk for a in parent.ancestors()}
            ):
                child.parent = parent
                child.save(update_fields=["parent"])

    def for_item(self, term: ItemTerm) -> Category | Tag | None:
        if term.domain == "category":
            return self.category(term.slug, term.name)
        if term.domain in ("post_tag", "tag"):
            return self.tag(term.slug, term.name)
        return None

    def category(self, slug: str, name: str, *, description: str = "") -> Category:
        key = slug or name
        name = html.unescape(name)  # WordPress keeps "&" in a term's name as "&amp;"
        if key in self.categories:
            return self.categories[key]
        new_slug = wp_slug(slug) or wp_slug(name) or "category"
        category = Category.objects.filter(slug=new_slug).first()
        created = category is None
        if category is None:
            category = Category(slug=new_slug, name=(name or new_slug)[:200])
        category.name = (name or category.name)[:200]
        category.description = description or category.description
        category.save()
        self.summary.categories.add(created, key=category.pk)
        self.categories[key] = category
        return category

    def tag(self, slug: str, name: str) -> Tag:
        key = slug or name
        name = html.unescape(name)
        if key in self.tags:
            return self.tags[key]
        new_slug = wp_slug(slug) or wp_slug(name) or "tag"
        tag, created = Tag.objects.get_or_create(
            slug=new_slug, defaults={"name": (name or new_slug)[:200]}
        )
        if name and tag.name != name[:200]:
            tag.name = name[:200]
            tag.save(update_fields=["name"])
        self.summary.tags.add(created, key=tag.pk)
        self.tags[key] = tag
        return tag

    def old_category_path(self, slug: str) -> str:
        """/category/parent/child/ as the old site spelled it."""
        chain, seen = [slug], {slug}
        while (parent := self.old_parent.get(chain[0])) and parent not in seen:
            chain.insert(0, parent)
            seen.add(parent)
        return "/category/" + "/".join(unquote(part) for part in chain) + "/"


class Uploads:
    """Files of the old wp-content/uploads, imported as media when a copy is given.

    Attachments come from the export's attachment items; a file the content shows
    without one (an export of posts only) is imported too when the copy has it.
    Content URLs of either, full size or any resized copy, then lead to the new file.
    """

    def __init__(
        self,
        catalog: Catalog,
        folder: Path | None,
        summary: WxrSummary,
        uploader: Callable[[str], int | None],
    ) -> None:
        self.catalog = catalog
        self.folder = folder.resolve() if folder is not None else None
        self.summary = summary
        self.uploader = uploader  # the importing author's login -> user id
        self.by_id: dict[str, Media] = {}
        self.by_file: dict[str, Media | None] = {}
        self.created_files: list[str] = []
        self.roots = _upload_roots(catalog)

    def load_attachments(self) -> None:
        for attachment in self.catalog.attachments.values():
            name = f"attachment {attachment.id} “{attachment.title or attachment.file}”"
            if self.folder is None:
                self.summary.skip(name, "no uploads folder was given (--uploads DIR)")
                continue
            media = self._import(attachment.file, attachment, name)
            if media is not None:
                self.by_id[attachment.id] = media
                self.by_file[_normal(attachment.file)] = media
                self.by_file[attachment.file] = media

    def media_for_url(self, url: str) -> tuple[bool, Media | None]:
        """(whether `url` is an uploaded file of the old site, its imported copy)."""
        place = Place.of(url)
        if place is None:
            return False, None
        for host, prefix in self.roots:
            if place.host == host and place.path.startswith(prefix):
                relative = place.path[len(prefix) :]
                return True, self._media_for_file(relative)
        return False, None

    def _media_for_file(self, relative: str) -> Media | None:
        for key in (relative, _normal(relative)):
            if key in self.by_file:
                return self.by_file[key]
        media = None
        if self.folder is not None:
            for candidate in (_normal(relative), relative):
                if self._path(candidate) is not None:
                    media = self._import(candidate, None, f"file {candidate}")
                    break
        self.by_file[relative] = self.by_file[_normal(relative)] = media
        return media

    def _path(self, relative: str) -> Path | None:
        """The file inside the uploads folder, never outside it (no ../, no symlink out)."""
        if self.folder is None or not relative or "\x00" in relative:
            return None
        path = (self.folder / relative.lstrip("/")).resolve()
        if not path.is_relative_to(self.folder) or not path.is_file():
            return None
        return path

    def _import(self, relative: str, attachment: Attachment | None, name: str) -> Media | None:
        ref = f"wxr:{attachment.id}" if attachment else f"wxr-file:{relative}"[:200]
        media = Media.objects.filter(import_ref=ref).first()
        created = media is None
        if media is None:
            path = self._path(relative)
            if path is None:
                shown = relative or "no file name in the export"
                self.summary.skip(name, f"the file is not in the uploads folder ({shown})")
                return None
            media = self._upload(path, attachment, ref, name)
            if media is None:
                return None
        if attachment is not None:
            media.alt_text = (attachment.alt or attachment.title or media.alt_text)[:500]
            media.title = (attachment.title or media.title)[:300]
            media.caption = attachment.caption or media.caption
            media.save(update_fields=["alt_text", "title", "caption"])
        self.summary.media.add(created, key=media.pk)
        return media

    def _upload(
        self, path: Path, attachment: Attachment | None, ref: str, name: str
    ) -> Media | None:
        alt = (attachment.alt or attachment.title) if attachment else ""
        by = self.uploader(attachment.creator) if attachment and attachment.creator else None
        try:
            with path.open("rb") as handle:
                media = media_upload(
                    file=File(handle, name=_original_name(path)),
                    alt_text=alt or _stem_words(path),
                    by=User.objects.get(pk=by) if by else None,
                    title=(attachment.title if attachment else "") or path.stem,
                )
        except ValidationError as error:
            reason = " ".join(message.rstrip(".") for message in error.messages)
            self.summary.skip(name, f"not imported: {reason}")
            return None
        self.created_files.append(media.file.name)
        Media.objects.filter(pk=media.pk).update(import_ref=ref)
        media.import_ref = ref
        return media


def _upload_roots(catalog: Catalog) -> list[tuple[str, str]]:
    """(host, or "" for a root-relative URL; path prefix) of every uploads folder the
    export shows: its own wp-content/uploads and wherever its attachments lived."""
    roots: set[tuple[str, str]] = set()
    site = SiteURL.of(catalog.site.base_url)
    base_path = site.path if site else ""
    for prefix in {base_path + "/wp-content/uploads/", "/wp-content/uploads/"}:
        roots.add(("", prefix))
        if site is not None:
            roots.add((site.host, prefix))
    for attachment in catalog.attachments.values():
        if attachment.file and attachment.url.endswith(attachment.file):
            place = Place.of(attachment.url[: -len(attachment.file)])
            if place is not None and place.host:
                roots.add((place.host, place.path.rstrip("/") + "/"))
    # Longest prefix first, so a nested folder wins over its parent.
    return sorted(roots, key=lambda root: -len(root[1]))


def _original_name(path: Path) -> str:
    """The file's name without the content hash a Pressbox export's files carry
    (squat-1a2b3c4d.jpg), which storing it would add a second time."""
    found = re.fullmatch(r"(.+)-([0-9a-f]{8})(\.\w+)", path.name)
    if found and hashlib.sha256(path.read_bytes()).hexdigest()[:8] == found[2]:
        return found[1] + found[3]
    return path.name


def _normal(relative: str) -> str:
    return _SIZE_SUFFIX.sub("", relative)


def _stem_words(path: Path) -> str:
    return re.sub(r"[-_]+", " ", _SIZE_SUFFIX.sub("", path.name).rsplit(".", 1)[0]).strip()
