"""Read a content folder (DESIGN.md, "Content folder") into plain dataclasses.

Nothing here touches the database, so a folder is checked from end to end before
anything is written: the first problem found is raised as one `ContentError` sentence
naming the file. Dates stay strings while YAML is read (PyYAML's own timestamp parsing
crashes on "2018-13-45" instead of reporting it) and are parsed here.

A Hugo or Jekyll site is read as it is (`pressbox.importers.markdown.sites`) into the
same dataclasses, so the rest of the import does not know where a post came from.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email, validate_unicode_slug
from django.utils import timezone
from django.utils.text import slugify

from pressbox.importers.markdown.images import check_image

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
TOML_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*(?:\r?\n|\Z)", re.S | re.M)
# "2018-03-14 10:00:00 +0100", as Jekyll writes dates: the zone joins the time for ISO.
SPACED_ZONE = re.compile(r"(\d)\s+([+-]\d{2}:?\d{2}|Z)$")
DATED_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-")  # Jekyll's 2018-03-14-slug.md
USERNAME = re.compile(r"^[\w.@+-]{1,150}$")


class ContentError(ValueError):
    """A problem with the folder, as one sentence that names the file."""


@dataclass(frozen=True)
class AuthorData:
    source: str
    username: str
    name: str = ""
    email: str = ""
    website: str = ""
    avatar: Path | None = None
    bio: str = ""


@dataclass(frozen=True)
class PostData:
    source: str
    title: str
    slug: str
    date: datetime | None = None
    updated: datetime | None = None
    status: str = "published"
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    excerpt: str = ""
    comments_open: bool = True
    body: str = ""
    description: str = ""  # what search engines show; kept as is when empty
    aliases: list[str] = field(default_factory=list)  # old paths that answer 301 to the post


@dataclass(frozen=True)
class PageData:
    source: str
    title: str
    slug: str
    status: str = "published"
    menu_order: int = 0
    date: datetime | None = None
    body: str = ""
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ContentFolder:
    root: Path
    authors: list[AuthorData]
    posts: list[PostData]
    pages: list[PageData]

    @property
    def size(self) -> int:
        return len(self.authors) + len(self.posts) + len(self.pages)


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves timestamps as strings, so bad dates can be reported."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_folder(root: Path) -> ContentFolder:
    """Every author, post and page of the folder at `root`, checked: our own layout,
    or a Hugo or Jekyll site."""
    from pressbox.importers.markdown import sites

    if not root.is_dir():
        raise ContentError(f"There is no folder at {root}.")
    if not (root / "posts").is_dir():
        if sites.is_hugo(root):
            return sites.read_hugo(root)
        if sites.is_jekyll(root):
            return sites.read_jekyll(root)
        raise ContentError(
            f"{root} has no posts/ folder, so it is not a content folder "
            "(nor a Hugo site with content/posts/, nor a Jekyll site with _posts/)."
        )
    authors = [read_author(root, path) for path in _markdown_files(root / "authors")]
    posts = [read_post(root, path) for path in _markdown_files(root / "posts")]
    pages = [read_page(root, path) for path in _markdown_files(root / "pages")]
    _check_unique(authors, "username", "username")
    _check_unique(posts, "slug", "slug")
    _check_unique(pages, "slug", "slug")
    return ContentFolder(root=root, authors=authors, posts=posts, pages=pages)


def read_author(root: Path, path: Path) -> AuthorData:
    name = _name(root, path)
    meta, body = _split(root, path)
    username = _text(meta, "username", name) or path.stem
    if not USERNAME.match(username):
        raise ContentError(
            f"{name}: username {username!r} may hold only letters, digits and @.+-_."
        )
    email = _text(meta, "email", name)
    if email:
        _validate(validate_email, email, f"{name}: email {email!r} is not an email address.")
    website = _text(meta, "website", name)
    if website:
        _validate(URLValidator(), website, f"{name}: website {website!r} is not a web address.")
    avatar = _text(meta, "avatar", name)
    return AuthorData(
        source=name,
        username=username,
        name=_text(meta, "name", name),
        email=email,
        website=website,
        avatar=_avatar(root, name, avatar) if avatar else None,
        bio=body.strip(),
    )


def read_post(root: Path, path: Path) -> PostData:
    name = _name(root, path)
    meta, body = _split(root, path)
    when = _date(meta, "date", name)
    comments = _text(meta, "comments", name).lower() or "open"
    if comments not in ("open", "closed"):
        raise ContentError(f"{name}: comments must be open or closed, not {comments!r}.")
    return PostData(
        source=name,
        title=_title(meta, name),
        slug=_slug(meta, path, name),
        date=when,
        updated=_date(meta, "updated", name) or when,
        status=_status(meta, name),
        categories=_names(meta, "categories", name, split="/"),
        tags=_names(meta, "tags", name),
        authors=_list(meta, "authors", name),
        excerpt=_text(meta, "excerpt", name),
        comments_open=comments == "open",
        body=body,
    )


def read_page(root: Path, path: Path) -> PageData:
    name = _name(root, path)
    meta, body = _split(root, path)
    order = meta.get("menu_order", 0)
    if not isinstance(order, int) or isinstance(order, bool):
        raise ContentError(f"{name}: menu_order must be a whole number, not {order!r}.")
    return PageData(
        source=name,
        title=_title(meta, name),
        slug=_slug(meta, path, name),
        status=_status(meta, name),
        menu_order=order,
        date=_date(meta, "date", name),
        body=body,
    )


def _markdown_files(folder: Path) -> list[Path]:
    """The .md files of `folder`, skipping Hugo's _index.md and hidden files."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if p.is_file() and p.name[0] not in "_.")


def _name(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _split(root: Path, path: Path, *, toml: bool = False) -> tuple[dict[str, Any], str]:
    """(front matter, Markdown body) of one file; `toml` also accepts Hugo's +++ TOML."""
    name = _name(root, path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ContentError(f"{name} is not UTF-8 text.") from None
    if toml and (found := TOML_FRONT_MATTER.match(text)):
        return _toml(found.group(1), name), text[found.end() :]
    match = FRONT_MATTER.match(text)
    if match is None:
        if toml:
            raise ContentError(
                f"{name} does not start with front matter between --- (YAML) or +++ (TOML) lines."
            )
        raise ContentError(f"{name} does not start with YAML front matter between --- lines.")
    try:
        meta = yaml.load(match.group(1), Loader=_Loader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "it cannot be read"
        raise ContentError(
            f"{name}: the front matter is not valid YAML{where} ({problem})."
        ) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError(f"{name}: the front matter must be a set of key: value lines.")
    return meta, text[match.end() :]


def _toml(text: str, name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problem, _, where = str(exc).partition(" (at line ")
        line = where.split(",")[0]
        at = f" at line {int(line) + 1}" if line.isdigit() else ""
        raise ContentError(f"{name}: the front matter is not valid TOML{at} ({problem}).") from None


def _text(meta: dict[str, Any], key: str, name: str) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, dict | list):
        raise ContentError(f"{name}: {key} must be plain text.")
    return str(value).strip()


def _title(meta: dict[str, Any], name: str) -> str:
    title = _text(meta, "title", name)
    if not title:
        raise ContentError(f"{name} has no title.")
    return title


def _slug(meta: dict[str, Any], path: Path, name: str) -> str:
    given = _text(meta, "slug", name)
    if not given:
        return slugify(DATED_NAME.sub("", path.stem), allow_unicode=True) or "untitled"
    _validate(
        validate_unicode_slug,
        given,
        f"{name}: slug {given!r} may hold only letters, digits, hyphens and underscores.",
    )
    return given


def _status(meta: dict[str, Any], name: str) -> str:
    status = _text(meta, "status", name).lower() or "published"
    if status not in ("draft", "published"):
        raise ContentError(f"{name}: status must be draft or published, not {status!r}.")
    return status


def _list(meta: dict[str, Any], key: str, name: str) -> list[str]:
    """A list of names; a single name is a list of one."""
    value = meta.get(key)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    if any(isinstance(item, dict | list) or item is None for item in items):
        raise ContentError(f"{name}: {key} must be a list of names.")
    return [str(item).strip() for item in items if str(item).strip()]


def _names(meta: dict[str, Any], key: str, name: str, *, split: str = "") -> list[str]:
    """Category or tag names; each (each part of a Parent/Child path) must make a slug."""
    names = _list(meta, key, name)
    for item in names:
        for part in item.split(split) if split else [item]:
            if not slugify(part, allow_unicode=True):
                raise ContentError(f"{name}: {key} entry {item!r} has no letters or digits.")
    return names


def _date(meta: dict[str, Any], key: str, name: str) -> datetime | None:
    """An ISO date or date-time; without a zone, the site's time zone applies."""
    raw = _text(meta, key, name)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(SPACED_ZONE.sub(r"\1\2", raw))
    except ValueError:
        raise ContentError(
            f"{name}: {key} {raw!r} is not a date such as 2018-03-14 or 2018-03-14T10:00:00Z."
        ) from None
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _avatar(root: Path, name: str, relative: str) -> Path:
    path = (root / relative).resolve()
    if not path.is_file():
        raise ContentError(f"{name}: avatar {relative!r} is not a file in the folder.")
    problem = check_image(path)
    if problem:
        raise ContentError(f"{name}: avatar {relative!r} {problem}.")
    return path


def _validate(validator: Any, value: str, message: str) -> None:
    try:
        validator(value)
    except ValidationError:
        raise ContentError(message) from None


def _check_unique(items: list[Any], attr: str, label: str) -> None:
    seen: dict[str, str] = {}
    for item in items:
        key = getattr(item, attr)
        if key in seen:
            raise ContentError(f"{seen[key]} and {item.source} have the same {label}, {key!r}.")
        seen[key] = item.source
