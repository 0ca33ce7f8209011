"""Hugo and Jekyll sites, read as they are into the dataclasses of `parse`.

Hugo: posts in `content/posts/` (or `content/post/`), as files or page bundles
(`<slug>/index.md`), with YAML (`---`) or TOML (`+++`) front matter; pages are the other
files at the top of `content/`. Jekyll: `_posts/YYYY-MM-DD-slug.md`, `_drafts/`, and
pages at the top of the site. Authors are named in the front matter and become accounts
(Jekyll's `_data/authors.yml` adds their name, email and website).

Links keep working: each post's old address (from the site's permalink setting, or its
own `url`/`permalink`) and its `aliases` (Hugo) or `redirect_from` (Jekyll) answer 301 to
the new one. Shortcodes and Liquid tags stay as text, except Hugo's `figure` (an image
with its caption) and the `highlight` blocks of both (fenced code).
"""

from __future__ import annotations

import html
import re
import tomllib
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import yaml
from django.core.validators import URLValidator, validate_email
from django.utils.text import slugify

from pressbox.importers.markdown.parse import (
    DATED_NAME,
    USERNAME,
    AuthorData,
    ContentError,
    ContentFolder,
    PageData,
    PostData,
    _check_unique,
    _date,
    _list,
    _Loader,
    _name,
    _names,
    _split,
    _text,
    _title,
    _validate,
)

EXTENSIONS = (".md", ".markdown")
HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "config.toml", "config.yaml", "config.yml")
HUGO_SECTIONS = ("posts", "post")
JEKYLL_PERMALINKS = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
JEKYLL_NOT_PAGES = {"index", "404", "readme", "changelog", "license"}
TOKEN = re.compile(r":([a-z_]+)")

# Shortcodes: {{< figure src="a.jpg" caption="…" >}} and highlight blocks.
SHORTCODE_ATTRIBUTE = re.compile(r"""(\w+)=(?:"([^"]*)"|'([^']*)'|(\S+))""")
HUGO_FIGURE = re.compile(r"\{\{[<%]\s*figure\s+(.*?)\s*/?\s*[>%]\}\}", re.S)
HUGO_HIGHLIGHT = re.compile(
    r"\{\{[<%]\s*highlight\s+([\w+#.-]+)[^>%]*[>%]\}\}\r?\n?(.*?)\{\{[<%]\s*/highlight\s*[>%]\}\}",
    re.S,
)
JEKYLL_HIGHLIGHT = re.compile(
    r"\{%-?\s*highlight\s+([\w+#.-]+)[^%]*-?%\}\r?\n?(.*?)\{%-?\s*endhighlight\s*-?%\}", re.S
)
JEKYLL_RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")


def is_hugo(root: Path) -> bool:
    return any((root / "content" / section).is_dir() for section in HUGO_SECTIONS)


def is_jekyll(root: Path) -> bool:
    return (root / "_posts").is_dir() or (root / "_drafts").is_dir()


class _Authors:
    """Authors named in front matter, each an account to create or update once."""

    DATA = "_data/authors.yml"

    def __init__(self, known: dict[str, Any] | None = None) -> None:
        self.known = known or {}
        self.found: dict[str, AuthorData] = {}

    def usernames(self, names: Iterable[str], source: str) -> list[str]:
        return [self.add(name, source) for name in names]

    def add(self, given: str, source: str) -> str:
        """The username for an author as the front matter names them (a username, or a
        name such as "Jane Doe", which becomes jane-doe with Jane Doe shown)."""
        username = given if USERNAME.match(given) else slugify(given)
        if not username:
            raise ContentError(f"{source}: author {given!r} has no letters or digits.")
        if username in self.found:
            return username
        details = self.known.get(given)
        details = details if isinstance(details, dict) else {}
        email = str(details.get("email") or "").strip()
        website = str(details.get("url") or details.get("web") or "").strip()
        if email:
            message = f"{self.DATA}: email {email!r} of {given!r} is not an email address."
            _validate(validate_email, email, message)
        if website:
            message = f"{self.DATA}: website {website!r} of {given!r} is not a web address."
            _validate(URLValidator(), website, message)
        self.found[username] = AuthorData(
            source=f"author {username}",
            username=username,
            name=str(details.get("name") or (given if given != username else "")).strip(),
            email=email,
            website=website,
            bio=str(details.get("bio") or "").strip(),
        )
        return username


# Hugo --------------------------------------------------------------------------------------


def read_hugo(root: Path) -> ContentFolder:
    config = _hugo_config(root)
    base = urlsplit(str(config.get("baseURL") or config.get("baseurl") or "")).path.rstrip("/")
    permalinks = config.get("permalinks") or {}
    if isinstance(permalinks, dict) and isinstance(permalinks.get("page"), dict):
        permalinks = permalinks["page"]
    if not isinstance(permalinks, dict):
        permalinks = {}
    authors = _Authors()
    content = root / "content"
    posts = [
        _hugo_post(root, path, section, base, permalinks, authors)
        for section in HUGO_SECTIONS
        for path in _hugo_files(content / section, nested=True)
    ]
    pages = [_hugo_page(root, path, base) for path in _hugo_files(content, nested=False)]
    return _folder(root, authors, posts, pages)


def _hugo_config(root: Path) -> dict[str, Any]:
    for name in HUGO_CONFIGS:
        path = root / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8-sig")
        try:
            if name.endswith(".toml"):
                found = tomllib.loads(text)
            else:
                found = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader)
        except (ValueError, yaml.YAMLError):
            raise ContentError(f"{name} cannot be read as Hugo's configuration.") from None
        return found if isinstance(found, dict) else {}
    return {}


def _hugo_files(folder: Path, *, nested: bool) -> list[Path]:
    """Content files of a section (posts may sit in sub-folders) or, not `nested`, the
    top of content/: plain files and leaf bundles (`<name>/index.md`); never `_index.md`."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*") if nested else folder.iterdir()):
        if path.is_dir() and not nested and path.name not in HUGO_SECTIONS:
            found += [p for p in (path / "index.md", path / "index.markdown") if p.is_file()]
        elif path.is_file() and path.suffix in EXTENSIONS and path.name[0] not in "_.":
            found.append(path)
    # Other Markdown files inside a bundle are its resources, not posts.
    bundles = {path.parent for path in found if path.stem == "index"}
    return [p for p in found if p.stem == "index" or not bundles.intersection(p.parents)]


def _bundle_name(path: Path) -> str:
    """A page bundle is named by its folder, any other file by its own name."""
    return path.parent.name if path.stem == "index" else path.stem


def _hugo_post(
    root: Path,
    path: Path,
    section: str,
    base: str,
    permalinks: dict[str, Any],
    authors: _Authors,
) -> PostData:
    name = _name(root, path)
    meta, body = _split(root, path, toml=True)
    title = _title(meta, name)
    filename = _bundle_name(path)
    slug = _slug(meta, filename, name)
    when = _date(meta, "date", name) or _date(meta, "publishDate", name)
    draft = _flag(meta, "draft", name)
    old = _text(meta, "url", name)
    if not old and not draft:
        template = str(permalinks.get(section) or "/:section/:slug_or_filename/")
        given_slug = _text(meta, "slug", name)
        old = _expand(
            template,
            when,
            {
                "section": section,
                "sections": section,
                "title": slugify(title, allow_unicode=True),
                "slug": given_slug or slugify(title, allow_unicode=True),
                "filename": filename,
                "contentbasename": filename,
                "slug_or_filename": given_slug or filename,
            },
        )
    names = _list(meta, "authors", name) or _list(meta, "author", name)
    return PostData(
        source=name,
        title=title,
        slug=slug,
        date=when,
        updated=_date(meta, "lastmod", name) or when,
        status="draft" if draft else "published",
        categories=_names(meta, "categories", name),
        tags=_names(meta, "tags", name),
        authors=authors.usernames(names, name),
        excerpt=_text(meta, "summary", name) or _text(meta, "description", name),
        description=_text(meta, "description", name)[:160],
        body=shortcodes(body),
        aliases=_paths([old, *_list(meta, "aliases", name)], base, name),
    )


def _hugo_page(root: Path, path: Path, base: str) -> PageData:
    name = _name(root, path)
    meta, body = _split(root, path, toml=True)
    filename = _bundle_name(path)
    own = _text(meta, "url", name)
    return PageData(
        source=name,
        title=_title(meta, name),
        slug=_slug(meta, filename, name),
        status="draft" if _flag(meta, "draft", name) else "published",
        menu_order=_whole(meta, "weight", name),
        date=_date(meta, "date", name),
        body=shortcodes(body),
        aliases=_paths([own or f"/{filename}/", *_list(meta, "aliases", name)], base, name),
    )


# Jekyll ------------------------------------------------------------------------------------


def read_jekyll(root: Path) -> ContentFolder:
    config = _jekyll_yaml(root, "_config.yml")
    base = str(config.get("baseurl") or "").rstrip("/")
    style = str(config.get("permalink") or "date")
    template = JEKYLL_PERMALINKS.get(style, style)
    authors = _Authors(_jekyll_yaml(root, "_data/authors.yml"))
    posts = [
        _jekyll_post(root, path, template, base, authors, draft=False)
        for path in _jekyll_files(root / "_posts")
    ]
    posts += [
        _jekyll_post(root, path, template, base, authors, draft=True)
        for path in _jekyll_files(root / "_drafts")
    ]
    pages = []
    for path in sorted(root.iterdir()):
        if not path.is_file() or path.suffix not in EXTENSIONS or path.name[0] in "_.":
            continue
        if path.stem.lower() not in JEKYLL_NOT_PAGES and (page := _jekyll_page(root, path, base)):
            pages.append(page)
    return _folder(root, authors, posts, pages)


def _jekyll_yaml(root: Path, relative: str) -> dict[str, Any]:
    path = root / relative
    if not path.is_file():
        return {}
    try:
        found = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_Loader)  # noqa: S506
    except yaml.YAMLError:
        raise ContentError(f"{relative} is not valid YAML.") from None
    return found if isinstance(found, dict) else {}


def _jekyll_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in EXTENSIONS and p.name[0] not in "_."
    )


def _jekyll_post(
    root: Path, path: Path, template: str, base: str, authors: _Authors, *, draft: bool
) -> PostData:
    name = _name(root, path)
    meta, body = _split(root, path)
    title = _title(meta, name)
    dated = DATED_NAME.match(path.stem)
    when = _date(meta, "date", name)
    if when is None and dated:
        when = _date({"date": dated[0].rstrip("-")}, "date", name)
    raw_slug = _text(meta, "slug", name) or DATED_NAME.sub("", path.stem)
    categories = _words(meta, "categories", name) or _words(meta, "category", name)
    old = _text(meta, "permalink", name) or _expand(
        template,
        when,
        {
            "title": raw_slug,
            "slug": slugify(raw_slug, allow_unicode=True),
            "categories": "/".join(quote(c.lower()) for c in categories),
            "output_ext": ".html",
        },
    )
    published = meta.get("published", True) is not False and not draft
    return PostData(
        source=name,
        title=title,
        slug=_slug({}, raw_slug, name),
        date=when,
        updated=_date(meta, "last_modified_at", name) or when,
        status="published" if published else "draft",
        categories=categories,
        tags=_words(meta, "tags", name),
        authors=authors.usernames(
            _list(meta, "author", name) or _list(meta, "authors", name), name
        ),
        excerpt=_text(meta, "excerpt", name),
        description=_text(meta, "description", name)[:160],
        body=shortcodes(body),
        aliases=_paths(
            ([old] if published else []) + _list(meta, "redirect_from", name), base, name
        ),
    )


def _jekyll_page(root: Path, path: Path, base: str) -> PageData | None:
    """A page at the top of the site; a file without front matter is not one (Jekyll
    copies it as it is)."""
    if not path.read_bytes().lstrip(b"\xef\xbb\xbf").startswith(b"---"):
        return None
    name = _name(root, path)
    meta, body = _split(root, path)
    own = _text(meta, "permalink", name) or f"/{path.stem}.html"
    return PageData(
        source=name,
        title=_title(meta, name),
        slug=_slug(meta, path.stem, name),
        status="draft" if meta.get("published", True) is False else "published",
        date=_date(meta, "date", name),
        body=shortcodes(body),
        aliases=_paths([own, *_list(meta, "redirect_from", name)], base, name),
    )


# Shared ------------------------------------------------------------------------------------


def _folder(
    root: Path, authors: _Authors, posts: list[PostData], pages: list[PageData]
) -> ContentFolder:
    _check_unique(posts, "slug", "slug")
    _check_unique(pages, "slug", "slug")
    return ContentFolder(root=root, authors=list(authors.found.values()), posts=posts, pages=pages)


def _slug(meta: dict[str, Any], fallback: str, name: str) -> str:
    """The front matter's slug, else the file's, as a slug of ours."""
    given = _text(meta, "slug", name) or fallback
    return slugify(given, allow_unicode=True) or "untitled"


def _flag(meta: dict[str, Any], key: str, name: str) -> bool:
    value = meta.get(key, False)
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if not isinstance(value, bool):
        raise ContentError(f"{name}: {key} must be true or false, not {value!r}.")
    return value


def _whole(meta: dict[str, Any], key: str, name: str) -> int:
    value = meta.get(key, 0)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ContentError(f"{name}: {key} must be a whole number, not {value!r}.")
    return value


def _words(meta: dict[str, Any], key: str, name: str) -> list[str]:
    """Jekyll's categories and tags: a list, or one string of space-separated words."""
    value = meta.get(key)
    if isinstance(value, str):
        meta = {key: value.split()}
    return _names(meta, key, name)


def _expand(template: str, when: datetime | None, values: dict[str, str]) -> str:
    """A permalink template (`/:year/:month/:slug/`) filled in; unknown tokens stay."""
    if when is not None:
        values = {
            "year": f"{when.year:04d}",
            "short_year": f"{when.year % 100:02d}",
            "month": f"{when.month:02d}",
            "i_month": str(when.month),
            "monthname": when.strftime("%B").lower(),
            "day": f"{when.day:02d}",
            "i_day": str(when.day),
            "y_day": f"{when.timetuple().tm_yday:03d}",
            **values,
        }
    return TOKEN.sub(lambda match: values.get(match[1], match[0]), template)


def _paths(values: Iterable[str], base: str, name: str) -> list[str]:
    """Old addresses as paths on this site: the host dropped, the old site's base path
    kept in front, `//` collapsed, each once."""
    paths: list[str] = []
    for value in values:
        path = unquote(urlsplit(value.strip()).path)
        if not path:
            continue
        path = re.sub(r"/{2,}", "/", "/" + path.lstrip("/"))
        if base and not path.startswith(base + "/"):
            path = base + path
        if len(path) > 500:
            raise ContentError(f"{name}: the address {value!r} is longer than 500 characters.")
        if path not in paths:
            paths.append(path)
    return paths


def shortcodes(body: str) -> str:
    """Hugo's figure as an image with its caption, `highlight` blocks as fenced code,
    Jekyll's raw tags dropped; any other shortcode or Liquid tag stays as written."""
    body = HUGO_FIGURE.sub(_figure, body)
    body = HUGO_HIGHLIGHT.sub(_fence, body)
    body = JEKYLL_HIGHLIGHT.sub(_fence, body)
    body = JEKYLL_RAW.sub("", body)
    return body.replace("{{</*", "{{<").replace("*/>}}", ">}}")  # Hugo's escaped shortcodes


def _figure(match: re.Match[str]) -> str:
    attrs = {
        key.lower(): next((v for v in values if v), "")
        for key, *values in SHORTCODE_ATTRIBUTE.findall(match[1])
    }
    src = attrs.get("src", "")
    if not src:
        return match[0]
    esc = html.escape
    image = f'<img src="{esc(src)}" alt="{esc(attrs.get("alt", ""))}">'
    if attrs.get("link"):
        image = f'<a href="{esc(attrs["link"])}">{image}</a>'
    caption = attrs.get("caption") or attrs.get("title") or ""
    captioned = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f"\n\n<figure>{image}{captioned}</figure>\n\n"


def _fence(match: re.Match[str]) -> str:
    code = match[2] if match[2].endswith("\n") else match[2] + "\n"
    return f"```{match[1]}\n{code}```"
