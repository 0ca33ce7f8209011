#!/usr/bin/env python
"""Static export speed: `pressbox export_static` against Hugo and Pelican, same posts.

Generates --posts fitness-blog posts (bulk inserted, as bench/search.py does, with its
text generator), each with a category, two tags and an author, then in one run:

1. `export_static` into a fresh folder (a full export), then again (nothing changed),
2. Hugo (Debian's `hugo`) building the same posts, written as Markdown files, with a
   minimal theme this script writes (home, post, paginated lists, taxonomies, RSS),
3. Pelican (installed by pip into a throwaway venv under /tmp, never into the project)
   building them with its built-in `simple` theme,

and prints the seconds of each and the ratios. The target (issue 7): Pressbox at most
2 × Hugo's time, and faster than Pelican.

    .venv/bin/python bench/static_export.py                    # 10,000 posts, SQLite
    .venv/bin/python bench/static_export.py --posts 1000 --skip-pelican

Data and outputs stay in --work-dir (default /tmp/pressbox-bench-static); the
repository's data/ is never touched.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from search import TOPICS, Writer  # noqa: E402  (bench/search.py's text generator)

DEFAULT_WORK_DIR = Path("/tmp/pressbox-bench-static")  # noqa: S108 (throwaway, by design)
PELICAN_VENV = Path("/tmp/pelican-venv")  # noqa: S108
MARKER = "static-bench:"
CATEGORIES = ["Strength", "Running", "Nutrition", "Recovery", "Mobility", "Mindset"]
TAGS = sorted({word for words in TOPICS.values() for word in words.split()})[:40]
PER_PAGE = 10

HUGO_CONFIG = """baseURL = "https://example.com/"
title = "Bench blog"
disableKinds = ["robotsTXT"]
[pagination]
  pagerSize = {per_page}
paginate = {per_page}
[permalinks]
  posts = "/:year/:month/:slug/"
[taxonomies]
  category = "categories"
  tag = "tags"
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ block "title" . }}{{ .Site.Title }}{{ end }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml"
 href="{{ .RelPermalink }}">{{ end }}
</head><body><header><a href="/">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "title" }}{{ .Title }} – {{ .Site.Title }}{{ end }}
{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>Posted on {{ .Date.Format "January 2, 2006" }}
{{ range .Params.categories }} in
<a href="{{ "categories/" | relURL }}{{ . | urlize }}/">{{ . }}</a>{{ end }}</p>
{{ .Content }}
<p>{{ range .Params.tags }}
<a href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p>
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pages := .Paginate .Pages }}{{ range $pages.Pages }}
<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Date.Format "January 2, 2006" }}</p><p>{{ .Summary }}</p></article>{{ end }}
{{ if $pages.HasPrev }}<a href="{{ $pages.Prev.URL }}">Newer</a>{{ end }}
{{ if $pages.HasNext }}<a href="{{ $pages.Next.URL }}">Older</a>{{ end }}{{ end }}
""",
    "index.html": """{{ define "main" }}
{{ $pages := .Paginate (where .Site.RegularPages "Type" "posts") }}
{{ range $pages.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Date.Format "January 2, 2006" }}</p><p>{{ .Summary }}</p></article>{{ end }}
{{ if $pages.HasPrev }}<a href="{{ $pages.Prev.URL }}">Newer</a>{{ end }}
{{ if $pages.HasNext }}<a href="{{ $pages.Next.URL }}">Older</a>{{ end }}{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a></li>{{ end }}
</ul>{{ end }}
""",
}
PELICAN_CONFIG = """AUTHOR = "Bench"
SITENAME = "Bench blog"
SITEURL = "https://example.com"
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
THEME = "simple"
DEFAULT_PAGINATION = {per_page}
ARTICLE_URL = "{{date:%Y}}/{{date:%m}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/{{slug}}/index.html"
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{{slug}}.atom.xml"
LOAD_CONTENT_CACHE = False
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR)
    parser.add_argument("--database-url", default="", help="postgres://… (default: SQLite)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true", help="generate the posts again")
    parser.add_argument("--skip-hugo", action="store_true")
    parser.add_argument("--skip-pelican", action="store_true")
    return parser.parse_args()


def configure(args: argparse.Namespace) -> None:
    data_dir = (args.work_dir / "data").resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["PRESSBOX_DATA_DIR"] = str(data_dir)
    if args.database_url:
        os.environ["PRESSBOX_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("PRESSBOX_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressbox.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# The posts ----------------------------------------------------------------------------


def posts_data(count: int, seed: int) -> list[dict]:
    """The same posts for every tool: title, slug, date, category, tags, Markdown, HTML."""
    from django.utils.text import slugify

    rng = random.Random(seed)
    writer = Writer(rng)
    start = datetime(2016, 1, 1, tzinfo=UTC)
    span = int((datetime(2025, 6, 1, tzinfo=UTC) - start).total_seconds())
    out = []
    for n in range(count):
        title, body, body_html = writer.post()
        out.append(
            {
                "n": n,
                "title": title,
                "slug": f"{slugify(title)[:80]}-{n}",
                "date": start + timedelta(seconds=rng.randrange(span)),
                "category": rng.choice(CATEGORIES),
                "tags": rng.sample(TAGS, 2),
                "author": rng.randrange(5),
                "body": body,
                "body_html": body_html,
            }
        )
    return out


def load_pressbox(posts: list[dict]) -> None:
    from django.db import transaction
    from django.utils.text import slugify

    from pressbox.accounts.models import AuthorProfile, User
    from pressbox.lib.markup import excerpt_from_html, html_to_text
    from pressbox.posts.models import Category, Post, PostAuthor, Tag

    Post.objects.all().delete()
    User.objects.filter(username__startswith="bench-coach-").delete()
    authors = []
    for n in range(5):
        user = User.objects.create(username=f"bench-coach-{n}", first_name=f"Coach {n}")
        AuthorProfile.objects.get_or_create(user=user, defaults={"display_name": f"Coach {n}"})
        authors.append(user)
    categories = {
        name: Category.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in CATEGORIES
    }
    tags = {name: Tag.objects.get_or_create(slug=name, defaults={"name": name})[0] for name in TAGS}
    for first in range(0, len(posts), 2000):
        chunk = posts[first : first + 2000]
        batch = [
            Post(
                title=p["title"],
                slug=p["slug"],
                body=p["body"],
                body_html=p["body_html"],
                summary=excerpt_from_html(p["body_html"]),
                word_count=len(html_to_text(p["body_html"]).split()),
                status=Post.Status.PUBLISHED,
                published_at=p["date"],
                created_at=p["date"],
                updated_at=p["date"],
                import_ref=f"{MARKER}{p['n']}",
            )
            for p in chunk
        ]
        with transaction.atomic():
            made = Post.objects.bulk_create(batch)
            if made[0].pk is None:
                made = list(Post.objects.filter(import_ref__in=[p.import_ref for p in batch]))
            PostAuthor.objects.bulk_create(
                PostAuthor(post_id=m.pk, author=authors[p["author"]], position=0)
                for m, p in zip(made, chunk, strict=True)
            )
            Post.categories.through.objects.bulk_create(
                Post.categories.through(post_id=m.pk, category_id=categories[p["category"]].pk)
                for m, p in zip(made, chunk, strict=True)
            )
            Post.tags.through.objects.bulk_create(
                Post.tags.through(post_id=m.pk, tag_id=tags[name].pk)
                for m, p in zip(made, chunk, strict=True)
                for name in p["tags"]
            )
    print(f"  loaded {len(posts)} posts into Pressbox", flush=True)


def write_markdown(posts: list[dict], folder: Path, *, pelican: bool) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for p in posts:
        date = p["date"].strftime("%Y-%m-%d %H:%M:%S" if pelican else "%Y-%m-%dT%H:%M:%SZ")
        if pelican:
            head = (
                f"Title: {p['title']}\nDate: {date}\nSlug: {p['slug']}\n"
                f"Category: {p['category']}\nTags: {', '.join(p['tags'])}\n"
                f"Author: Coach {p['author']}\n\n"
            )
        else:
            title = p["title"].replace('"', '\\"')
            head = (
                f'---\ntitle: "{title}"\ndate: {date}\nslug: "{p["slug"]}"\n'
                f'categories: ["{p["category"]}"]\ntags: {p["tags"]!r}\n'
                f'authors: ["coach-{p["author"]}"]\n---\n\n'
            ).replace("'", '"')
        (folder / f"{p['slug']}.md").write_text(head + p["body"] + "\n", encoding="utf-8")


# Runs ---------------------------------------------------------------------------------


def timed(label: str, command: list[str], **kwargs: object) -> float:
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    seconds = time.perf_counter() - began
    if done.returncode:
        print(done.stdout[-2000:], done.stderr[-2000:], sep="\n")
        sys.exit(f"{label} failed (exit {done.returncode}).")
    print(f"  {label}: {seconds:.1f} s", flush=True)
    return seconds


def run_pressbox(work: Path) -> tuple[float, float]:
    out = work / "pressbox-site"
    if out.exists():
        shutil.rmtree(out)
    command = [str(ROOT / ".venv/bin/pressbox"), "export_static", str(out)]
    command += ["--base-url", "https://example.com/"]
    full = timed("Pressbox export_static (full)", command)
    again = timed("Pressbox export_static (nothing changed)", command)
    files = sum(1 for _ in out.rglob("*") if _.is_file())
    print(f"    {files} files", flush=True)
    return full, again


def run_hugo(posts: list[dict], work: Path) -> float:
    site = work / "hugo-site"
    if site.exists():
        shutil.rmtree(site)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "config.toml").write_text(HUGO_CONFIG.format(per_page=PER_PAGE))
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / name).write_text(text)
    write_markdown(posts, site / "content/posts", pelican=False)
    seconds = timed("Hugo", ["hugo", "--quiet", "--source", str(site), "--destination", "public"])
    files = sum(1 for _ in (site / "public").rglob("*") if _.is_file())
    print(f"    {files} files", flush=True)
    return seconds


def run_pelican(posts: list[dict], work: Path) -> float:
    if not (PELICAN_VENV / "bin/pelican").exists():
        print("  installing Pelican into a throwaway venv …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PELICAN_VENV)], check=True)
        subprocess.run(
            [str(PELICAN_VENV / "bin/pip"), "install", "--quiet", "pelican", "markdown"],
            check=True,
        )
    site = work / "pelican-site"
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    (site / "pelicanconf.py").write_text(PELICAN_CONFIG.format(per_page=PER_PAGE))
    write_markdown(posts, site / "content", pelican=True)
    seconds = timed(
        "Pelican",
        [
            str(PELICAN_VENV / "bin/pelican"),
            "content",
            "-o",
            "output",
            "-s",
            "pelicanconf.py",
            "-q",
        ],
        cwd=site,
    )
    files = sum(1 for _ in (site / "output").rglob("*") if _.is_file())
    print(f"    {files} files", flush=True)
    return seconds


def main() -> None:
    args = parse_args()
    args.work_dir.mkdir(parents=True, exist_ok=True)
    configure(args)
    from django.core.management import call_command
    from django.db import connection

    from pressbox.posts.models import Post

    call_command("migrate", verbosity=0)
    foreign = Post.objects.exclude(import_ref__startswith=MARKER).count()
    if foreign:
        sys.exit(f"The database holds {foreign} posts that are not the bench's; use another.")
    print(f"Generating {args.posts} posts …", flush=True)
    posts = posts_data(args.posts, args.seed)
    if args.rebuild or Post.objects.count() != args.posts:
        load_pressbox(posts)
    connection.close()

    print(f"Building {args.posts} posts:", flush=True)
    pressbox, again = run_pressbox(args.work_dir)
    hugo = None if args.skip_hugo else run_hugo(posts, args.work_dir)
    pelican = None if args.skip_pelican else run_pelican(posts, args.work_dir)

    print(f"\nResults for {args.posts} posts ({connection.vendor}):")
    print(f"  Pressbox full export  {pressbox:8.1f} s")
    print(f"  Pressbox, unchanged   {again:8.1f} s")
    if hugo is not None:
        verdict = "met" if pressbox <= 2 * hugo else "NOT met"
        print(
            f"  Hugo                  {hugo:8.1f} s   Pressbox / Hugo = {pressbox / hugo:.2f} "
            f"(target ≤ 2: {verdict})"
        )
    if pelican is not None:
        verdict = "met" if pressbox < pelican else "NOT met"
        print(
            f"  Pelican               {pelican:8.1f} s   Pressbox / Pelican = "
            f"{pressbox / pelican:.2f} (target < 1: {verdict})"
        )


if __name__ == "__main__":
    main()
