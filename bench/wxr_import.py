#!/usr/bin/env python
"""WordPress import speed and memory: a generated export through `pressbox import_wxr`.

Writes two WXR 1.2 files of generated posts, each post with threaded comments (five
per post by default: two threads, replies two deep), categories, tags and an author
among a few, then imports each into a fresh, throwaway site and prints the wall
time, posts per second and peak memory (resource.getrusage) of each import, and the
ratio of the two peaks. The streaming parser should keep memory nearly flat while
the file grows tenfold.

    .venv/bin/python bench/wxr_import.py                  # SQLite in /tmp/pressbox-bench-wxr
    .venv/bin/python bench/wxr_import.py --database-url postgres://postgres@127.0.0.1/pressbox_bench_wxr

Each import runs in its own process on an emptied database (the PostgreSQL database
is dropped and made again), so the figures are those of a first import. The
repository's data/ is never touched.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = Path("/tmp/pressbox-bench-wxr")  # noqa: S108 (throwaway, by design)
PYTHON = sys.executable

WORDS = str.split(
    """
training workout strength muscle squat deadlift bench press row pull push set reps weight
load form technique recovery sleep protein nutrition calories mobility hip knee back core
glutes shoulder grip barbell dumbbell kettlebell cardio running sprint endurance stretch
progress the and to of a in is you that it for your with on this as be are at or but not
"""
)
HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Bench Blog</title>
<link>https://bench.example/blog</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://bench.example/blog</wp:base_site_url>
<wp:base_blog_url>https://bench.example/blog</wp:base_blog_url>
"""
AUTHORS = ["maya", "tomas", "priya", "dev"]
CATEGORIES = [f"topic-{n}" for n in range(20)]
TAGS = [f"tag-{n}" for n in range(60)]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def post_xml(rng: random.Random, number: int, comments: int, first_comment: int) -> str:
    paragraphs = [" ".join(sentence(rng, rng.randint(8, 16)) for _ in range(4)) for _ in range(4)]
    paragraphs.insert(
        1,
        f'It\'s "{rng.choice(WORDS)}" day -- see <a href="https://bench.'
        f'example/blog/2020/01/01/post-{max(1, number - 1)}/">yesterday</a>.',
    )
    body = "\n\n".join(paragraphs)
    month = 1 + number % 12
    parts = [
        f"<item><title>Post number {number}</title>",
        f"<link>https://bench.example/blog/2020/{month:02d}/01/post-{number}/</link>",
        f"<dc:creator><![CDATA[{AUTHORS[number % len(AUTHORS)]}]]></dc:creator>",
        f"<content:encoded><![CDATA[{body}]]></content:encoded>",
        "<excerpt:encoded><![CDATA[]]></excerpt:encoded>",
        f"<wp:post_id>{number}</wp:post_id>",
        f"<wp:post_date>2020-{month:02d}-01 10:00:00</wp:post_date>",
        f"<wp:post_date_gmt>2020-{month:02d}-01 10:00:00</wp:post_date_gmt>",
        "<wp:comment_status>open</wp:comment_status>",
        f"<wp:post_name>post-{number}</wp:post_name><wp:status>publish</wp:status>",
        "<wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order>",
        "<wp:post_type>post</wp:post_type><wp:post_password></wp:post_password>",
        "<wp:is_sticky>0</wp:is_sticky>",
    ]
    category = CATEGORIES[number % len(CATEGORIES)]
    parts.append(
        f'<category domain="category" nicename="{category}"><![CDATA[{category}]]></category>'
    )
    for tag in rng.sample(TAGS, 3):
        parts.append(f'<category domain="post_tag" nicename="{tag}"><![CDATA[{tag}]]></category>')
    for n in range(comments):
        ident = first_comment + n
        parent = ident - 1 if n % 3 else 0  # threads: a comment, then two replies
        status = "spam" if n == comments - 1 and number % 10 == 0 else "1"
        parts.append(
            f"<wp:comment><wp:comment_id>{ident}</wp:comment_id>"
            f"<wp:comment_author><![CDATA[Reader {ident % 997}]]></wp:comment_author>"
            f"<wp:comment_author_email>reader{ident % 997}@example.net</wp:comment_author_email>"
            "<wp:comment_author_url></wp:comment_author_url>"
            f"<wp:comment_author_IP>192.0.2.{ident % 250}</wp:comment_author_IP>"
            "<wp:comment_date>2020-02-01 10:00:00</wp:comment_date>"
            "<wp:comment_date_gmt>2020-02-01 10:00:00</wp:comment_date_gmt>"
            f"<wp:comment_content><![CDATA[{sentence(rng, 12)}\n{sentence(rng, 8)}]]>"
            "</wp:comment_content>"
            f"<wp:comment_approved>{status}</wp:comment_approved>"
            "<wp:comment_type></wp:comment_type>"
            f"<wp:comment_parent>{parent}</wp:comment_parent>"
            "<wp:comment_user_id>0</wp:comment_user_id></wp:comment>"
        )
    parts.append("</item>\n")
    return "".join(parts)


def generate(path: Path, posts: int, comments_per_post: int) -> None:
    rng = random.Random(posts)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for n, login in enumerate(AUTHORS, start=1):
            out.write(
                f"<wp:author><wp:author_id>{n}</wp:author_id><wp:author_login>{login}"
                f"</wp:author_login><wp:author_email>{login}@bench.example</wp:author_email>"
                f"<wp:author_display_name><![CDATA[{login.title()}]]></wp:author_display_name>"
                "</wp:author>\n"
            )
        for slug in CATEGORIES:
            out.write(
                f"<wp:category><wp:category_nicename>{slug}</wp:category_nicename>"
                f"<wp:cat_name><![CDATA[{slug}]]></wp:cat_name></wp:category>\n"
            )
        for number in range(1, posts + 1):
            out.write(
                post_xml(rng, number, comments_per_post, 1 + (number - 1) * comments_per_post)
            )
        out.write("</channel>\n</rss>\n")


CHILD = """
import json, resource, sys, time
import django
django.setup()
from pressbox.importers.services import wxr_import
started = time.perf_counter()
summary = wxr_import(source=sys.argv[1])
elapsed = time.perf_counter() - started
print(json.dumps({
    "seconds": elapsed,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "helper_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "posts": summary.posts.total,
    "comments": summary.comments.total,
    "redirects": summary.redirects,
}))
"""


def fresh_site(env: dict[str, str], data_dir: Path, database_url: str | None) -> None:
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    if database_url:
        name = database_url.rsplit("/", 1)[1]
        admin = database_url.rsplit("/", 1)[0] + "/postgres"
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", admin, "-q", "-c", sql], check=True)
    subprocess.run([PYTHON, "-m", "django", "migrate", "-v0"], env=env, check=True, cwd=ROOT)


def run(path: Path, data_dir: Path, database_url: str | None) -> dict[str, float]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pressbox.settings",
        "PRESSBOX_DATA_DIR": str(data_dir),
        "PRESSBOX_PAGE_CACHE": "false",
    }
    env.pop("PRESSBOX_DATABASE_URL", None)
    if database_url:
        env["PRESSBOX_DATABASE_URL"] = database_url
    fresh_site(env, data_dir, database_url)
    done = subprocess.run(
        [PYTHON, "-c", CHILD, str(path)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments-per-post", type=int, default=5)
    parser.add_argument(
        "--small-factor", type=int, default=10, help="the second file is this many times smaller"
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--database-url", help="postgres://… (a database the bench may drop)")
    args = parser.parse_args()

    files = args.data_dir.parent / (args.data_dir.name + "-files")
    files.mkdir(parents=True, exist_ok=True)
    sizes = [args.posts // args.small_factor, args.posts]
    results = []
    for posts in sizes:
        path = files / f"export-{posts}.xml"
        if not path.exists():
            generate(path, posts, args.comments_per_post)
        result = run(path, args.data_dir, args.database_url)
        result["megabytes"] = path.stat().st_size / 1_000_000
        results.append((posts, result))
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(f"import_wxr on {engine}, {args.comments_per_post} comments per post")
    print(
        f"{'posts':>7} {'comments':>9} {'file MB':>8} {'seconds':>8} {'posts/s':>8} "
        f"{'peak MB':>8} {'helper MB':>10}"
    )
    for _, r in results:
        print(
            f"{r['posts']:>7} {r['comments']:>9} {r['megabytes']:>8.1f} {r['seconds']:>8.1f} "
            f"{r['posts'] / r['seconds']:>8.0f} {r['peak_mb']:>8.1f} {r['helper_mb']:>10.1f}"
        )
    (_, a), (_, b) = results
    print(
        f"file {b['megabytes'] / a['megabytes']:.1f}× larger; "
        f"peak memory {b['peak_mb'] / a['peak_mb']:.2f}× ({b['peak_mb'] - a['peak_mb']:+.1f} MB)"
    )


if __name__ == "__main__":
    main()
