#!/usr/bin/env python
"""Static export speed: `pressbox export_static` against Hugo and Pelican, same posts.

Generates --posts fitness-blog posts (bulk inserted, as bench/search.py does, with its
text generator), each with a category, two tags and an author, then in one run:

1. `export_static` into a fresh folder (a full export), then again (nothing changed),
2. Hugo (Debian's `hugo`) building the same posts, written as Markdown files, with a
   minimal theme this script writes (home, post, paginated lists, taxonomies, RSS),
3. Pelican (installed by pip into a throwaway venv under /tmp, never into the project)
   building them with its built-in `simple` theme,

and prints the seconds of each (wall, and CPU: user + system of the tool and its
processes, which a busy machine disturbs less) and the ratios; with --repeat N each
is run N times, interleaved, and the medians are compared. The target (issue 7):
Pressbox at most 2 × Hugo's time, and faster than Pelican.

    .venv/bin/python bench/static_export.py                    # 10,000 posts, SQLite
    .venv/bin/python bench/static_export.py --posts 1000 --repeat 3

Data and outputs stay in --work-dir (default /tmp/pressbox-bench-static); the
repository's data/ is never touched.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, fields
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
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, interleaved")
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


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the tool and every process it started
    load: float  # the 1-minute load average when it started


def timed(label: str, command: list[str], **kwargs: object) -> Run:
    """Run `command`; its wall time, and its CPU time from the children's rusage (the
    machine is shared: CPU seconds say what a run cost whatever else was running)."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        print(done.stdout[-2000:], done.stderr[-2000:], sep="\n")
        sys.exit(f"{label} failed (exit {done.returncode}).")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    print(f"  {label}: {wall:.1f} s ({cpu:.1f} s CPU, load {load:.1f})", flush=True)
    return Run(wall, cpu, load)


def count_files(folder: Path) -> None:
    print(f"    {sum(1 for _ in folder.rglob('*') if _.is_file())} files", flush=True)


def run_pressbox(work: Path) -> tuple[Run, Run]:
    """A full export into an empty folder, then again with nothing changed."""
    out = work / "pressbox-site"
    if out.exists():
        shutil.rmtree(out)
    command = [str(ROOT / ".venv/bin/pressbox"), "export_static", str(out)]
    command += ["--base-url", "https://example.com/"]
    full = timed("Pressbox export_static (full)", command)
    again = timed("Pressbox export_static (nothing changed)", command)
    count_files(out)
    return full, again


def prepare_hugo(posts: list[dict], work: Path) -> Path:
    site = work / "hugo-site"
    if site.exists():
        shutil.rmtree(site)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "config.toml").write_text(HUGO_CONFIG.format(per_page=PER_PAGE))
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / name).write_text(text)
    write_markdown(posts, site / "content/posts", pelican=False)
    return site


def run_hugo(site: Path) -> Run:
    shutil.rmtree(site / "public", ignore_errors=True)
    run = timed("Hugo", ["hugo", "--quiet", "--source", str(site), "--destination", "public"])
    count_files(site / "public")
    return run


def prepare_pelican(posts: list[dict], work: Path) -> Path:
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
    return site


def run_pelican(site: Path) -> Run:
    shutil.rmtree(site / "output", ignore_errors=True)
    pelican = str(PELICAN_VENV / "bin/pelican")
    command = [pelican, "content", "-o", "output", "-s", "pelicanconf.py", "-q"]
    run = timed("Pelican", command, cwd=site)
    count_files(site / "output")
    return run


def median_run(runs: list[Run]) -> Run:
    return Run(*(statistics.median(getattr(r, f.name) for r in runs) for f in fields(Run)))


def report(label: str, run: Run, pressbox: Run, target: str) -> None:
    print(
        f"  {label:<22}{run.wall:8.1f} s {run.cpu:8.1f} s   Pressbox / {label.split()[0]} = "
        f"{pressbox.wall / run.wall:.2f} (CPU {pressbox.cpu / run.cpu:.2f}), {target}"
    )


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
    hugo_site = None if args.skip_hugo else prepare_hugo(posts, args.work_dir)
    pelican_site = None if args.skip_pelican else prepare_pelican(posts, args.work_dir)

    runs: dict[str, list[Run]] = {}
    for n in range(1, args.repeat + 1):  # interleaved, so that a change of load hits all
        print(f"Building {args.posts} posts (run {n} of {args.repeat}):", flush=True)
        full, again = run_pressbox(args.work_dir)
        runs.setdefault("Pressbox full export", []).append(full)
        runs.setdefault("Pressbox, unchanged", []).append(again)
        if hugo_site is not None:
            runs.setdefault("Hugo", []).append(run_hugo(hugo_site))
        if pelican_site is not None:
            runs.setdefault("Pelican", []).append(run_pelican(pelican_site))

    found = {label: median_run(each) for label, each in runs.items()}
    pressbox = found["Pressbox full export"]
    print(
        f"\nResults for {args.posts} posts ({connection.vendor}, {os.cpu_count()} CPUs), "
        f"median of {args.repeat} run(s), wall and CPU seconds:"
    )
    for label in ("Pressbox full export", "Pressbox, unchanged"):
        print(f"  {label:<22}{found[label].wall:8.1f} s {found[label].cpu:8.1f} s")
    if "Hugo" in found:
        met = "met" if pressbox.wall <= 2 * found["Hugo"].wall else "NOT met"
        report("Hugo", found["Hugo"], pressbox, f"target ≤ 2: {met}")
    if "Pelican" in found:
        met = "met" if pressbox.wall < found["Pelican"].wall else "NOT met"
        report("Pelican", found["Pelican"], pressbox, f"target < 1: {met}")
    loads = [run.load for each in runs.values() for run in each]
    print(f"  load average at the starts: {min(loads):.1f} to {max(loads):.1f}")


if __name__ == "__main__":
    main()
