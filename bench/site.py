#!/usr/bin/env python
"""A bench site: the demo blog plus N generated posts, each with its comments.

The demo (`pressbox demo`) brings the seed-shaped post, "Two Coaches, One Squat": a
category, a bulleted list, two co-authors with bios and avatars. It is topped up here
to --seed-comments threaded comments (50). Then --posts generated fitness-blog posts
(bench/search.py's text generator) are written in bulk, with explicit ids so that no
row needs a round trip: each has a category, two tags, one or two authors and
--comments approved comments (20), a quarter of them replies; the search index is
rebuilt and the planner statistics refreshed.

    .venv/bin/python bench/site.py --posts 1000 --data-dir /tmp/pressbox-bench-1000
    .venv/bin/python bench/site.py --posts 100000 --database-url \
        postgres://postgres@127.0.0.1/pressbox_bench_100k

bench/serve.py (`make bench`) calls `build()` and serves what it made. A site already
holding the same numbers is kept as it is (--rebuild writes it again); a database
holding anything but the demo and the bench's own posts is refused. The repository's
data/ is never touched.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from search import TOPICS, Writer  # noqa: E402  (bench/search.py's text generator)

MARKER = "bench-site:"  # import_ref of every generated post
SEED_SLUG = "two-coaches-one-squat"
CATEGORIES = ["Strength", "Running", "Nutrition", "Recovery", "Mobility", "Mindset"]
TAGS = sorted({word for words in TOPICS.values() for word in words.split()})[:40]
BATCH = 2000
COMMENTERS = 300


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000, help="generated posts (1000)")
    parser.add_argument("--comments", type=int, default=20, help="comments per post (20)")
    parser.add_argument("--seed-comments", type=int, default=50, help="on the seed post (50)")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--database-url", default="", help="postgres://… (default: SQLite)")
    parser.add_argument("--rebuild", action="store_true", help="generate the site again")
    parser.add_argument("--seed", type=int, default=11)
    return parser.parse_args()


def environment(data_dir: Path, database_url: str = "") -> dict[str, str]:
    """The PRESSBOX_* variables of a bench site (for this process and for servers)."""
    data_dir = data_dir.resolve()
    if data_dir == (ROOT / "data").resolve():
        sys.exit("Use a throwaway data dir, not the repository's data/.")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSBOX_")}
    env["PRESSBOX_DATA_DIR"] = str(data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "pressbox.settings"
    if database_url:
        env["PRESSBOX_DATABASE_URL"] = database_url
    return env


def configure(env: dict[str, str]) -> None:
    Path(env["PRESSBOX_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    for name in [k for k in os.environ if k.startswith("PRESSBOX_")]:
        del os.environ[name]
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(*, posts: int, comments: int, seed_comments: int, seed: int, rebuild: bool) -> str:
    """Make the site unless it is already there; returns the seed post's path."""
    from django.core.management import call_command

    from pressbox.posts.models import Post

    call_command("migrate", verbosity=0)
    foreign = (
        Post.objects.exclude(import_ref__startswith=MARKER)
        .exclude(import_ref__startswith="markdown:")
        .count()
    )
    if foreign:
        sys.exit(f"The database holds {foreign} posts that are not the bench's; use another.")
    if rebuild or not complete(posts=posts, comments=comments, seed_comments=seed_comments):
        print(f"Generating the site: {posts} posts with {comments} comments each …", flush=True)
        generate(posts=posts, comments=comments, seed_comments=seed_comments, seed=seed)
    return Post.objects.get(slug=SEED_SLUG).get_absolute_url()


def complete(*, posts: int, comments: int, seed_comments: int) -> bool:
    """The database holds the site these numbers make (the demo's one other comment
    included)."""
    from pressbox.comments.models import Comment
    from pressbox.posts.models import Post

    seed = Post.objects.filter(slug=SEED_SLUG).first()
    return (
        seed is not None
        and Post.objects.filter(import_ref__startswith=MARKER).count() == posts
        and Comment.objects.filter(post=seed).count() == seed_comments
        and Comment.objects.count() == posts * comments + seed_comments + 1
    )


def generate(*, posts: int, comments: int, seed_comments: int, seed: int) -> None:
    from pressbox.importers.services import demo_load

    began = time.perf_counter()
    clear()
    demo_load()
    rng = random.Random(seed)
    commenters = Commenters(rng)
    seed_post_comments(commenters, rng, seed_comments)
    generated_posts(commenters, rng, posts, comments)
    finish(began)


def clear() -> None:
    """Start from an empty database: SQLite's file is the bench's own, so it goes whole
    (deleting two million comments row by row would take longer than writing them)."""
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    cache.clear()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE posts_post, comments_comment, search_document, posts_postauthor, "
                "posts_post_categories, posts_post_tags, posts_category, posts_tag CASCADE"
            )
        return
    name = Path(connection.settings_dict["NAME"])
    connection.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{name}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)


class Commenters:
    """A pool of readers (name, email, avatar key) and of comment bodies, each body
    rendered once: the rows are written in bulk, not through Comment.save()."""

    def __init__(self, rng: random.Random) -> None:
        from pressbox.lib.avatars import avatar_key
        from pressbox.lib.markup import render_comment

        self.rng = rng
        first = ["Priya", "Dev", "Jo", "Sam", "Alex", "Noor", "Kai", "Lena", "Ravi", "Mia"]
        last = ["N.", "Brennan", "Keller", "O'Neill", "Ito", "Sousa", "Berg", "Hale"]
        self.people = []
        for n in range(COMMENTERS):
            name = f"{rng.choice(first)} {rng.choice(last)}"
            email = f"reader{n}@example.net"
            self.people.append((name, email, avatar_key(email)))
        writer = Writer(rng)
        writer.post()  # picks the topics the sentences draw from
        self.bodies = []
        for _ in range(200):
            text = " ".join(writer.sentence() for _ in range(rng.randint(1, 4)))
            self.bodies.append((text, render_comment(text)))

    def rows(self, post_id: int, count: int, first_id: int, start: datetime) -> list:
        """`count` approved comments on a post, ids from `first_id`: three top-level
        comments for each reply, replies nesting up to three deep."""
        from pressbox.comments.models import Comment

        out: list[Comment] = []
        for n in range(count):
            name, email, key = self.rng.choice(self.people)
            body, html = self.rng.choice(self.bodies)
            parent = out[self.rng.randrange(len(out))] if n % 4 == 3 else None
            if parent is not None and parent.root_id and parent.parent_id != parent.root_id:
                parent = None  # three deep is enough
            out.append(
                Comment(
                    pk=first_id + n,
                    post_id=post_id,
                    parent_id=parent.pk if parent else None,
                    root_id=(parent.root_id or parent.pk) if parent else None,
                    author_name=name,
                    author_email=email,
                    avatar_key=key,
                    body=body,
                    body_html=html,
                    status=Comment.Status.APPROVED,
                    created_at=start + timedelta(hours=n + 1),
                )
            )
        return out


def next_id(model: type) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def seed_post_comments(commenters: Commenters, rng: random.Random, total: int) -> None:
    """Threaded comments on the seed post, after the demo's own, up to `total`."""
    from pressbox.comments.models import Comment
    from pressbox.posts.models import Post

    post = Post.objects.get(slug=SEED_SLUG)
    missing = total - Comment.objects.filter(post=post).count()
    if missing > 0:
        assert post.published_at is not None
        start = post.published_at + timedelta(days=2)
        Comment.objects.bulk_create(commenters.rows(post.pk, missing, next_id(Comment), start))


def generated_posts(commenters: Commenters, rng: random.Random, count: int, per_post: int) -> None:
    from django.db import transaction
    from django.utils.text import slugify

    from pressbox.accounts.models import AuthorProfile, User
    from pressbox.comments.models import Comment
    from pressbox.lib.markup import excerpt_from_html, html_to_text
    from pressbox.posts.models import Category, Post, PostAuthor, Tag

    writer = Writer(rng)
    authors = list(User.objects.filter(username__in=["maya", "tomas"]))
    for n in range(3):
        user = User.objects.get_or_create(
            username=f"bench-coach-{n}", defaults={"first_name": f"Coach {n}"}
        )[0]
        AuthorProfile.objects.get_or_create(user=user, defaults={"display_name": f"Coach {n}"})
        authors.append(user)
    for name in CATEGORIES:
        Category.objects.get_or_create(slug=name.lower(), defaults={"name": name})
    for name in TAGS:
        Tag.objects.get_or_create(slug=name, defaults={"name": name})
    categories, tags = list(Category.objects.all()), list(Tag.objects.all())  # the demo's too
    start = datetime(2016, 1, 1, tzinfo=UTC)
    span = int((datetime(2024, 10, 1, tzinfo=UTC) - start).total_seconds())
    post_id, comment_id = next_id(Post), next_id(Comment)
    began = time.perf_counter()
    for first in range(0, count, BATCH):
        batch, links, notes = [], [], []
        for n in range(first, min(first + BATCH, count)):
            title, body, body_html = writer.post()
            when = start + timedelta(seconds=rng.randrange(span))
            pk = post_id + n
            batch.append(
                Post(
                    pk=pk,
                    title=title,
                    slug=f"{slugify(title)[:120]}-{n}",
                    body=body,
                    body_html=body_html,
                    summary=excerpt_from_html(body_html),
                    word_count=len(html_to_text(body_html).split()),
                    status=Post.Status.PUBLISHED,
                    published_at=when,
                    created_at=when,
                    updated_at=when,
                    import_ref=f"{MARKER}{n}",
                )
            )
            writers = rng.sample(authors, 2 if n % 5 == 0 else 1)
            links.append((pk, writers, rng.choice(categories), rng.sample(tags, 2)))
            notes += commenters.rows(pk, per_post, comment_id, when)
            comment_id += per_post
        with transaction.atomic():
            Post.objects.bulk_create(batch)
            PostAuthor.objects.bulk_create(
                PostAuthor(post_id=pk, author=user, position=i)
                for pk, writers, _, _ in links
                for i, user in enumerate(writers)
            )
            Post.categories.through.objects.bulk_create(
                Post.categories.through(post_id=pk, category_id=category.pk)
                for pk, _, category, _ in links
            )
            Post.tags.through.objects.bulk_create(
                Post.tags.through(post_id=pk, tag_id=tag.pk)
                for pk, _, _, chosen in links
                for tag in chosen
            )
            Comment.objects.bulk_create(notes, batch_size=5000)
        report(f"posts {min(first + BATCH, count)}/{count}", began)


def finish(began: float) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    from pressbox.comments.models import Comment
    from pressbox.posts.models import Post, SiteSettings
    from pressbox.search.index import rebuild

    if connection.vendor == "postgresql":  # ids were given explicitly: move the sequences on
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Post, Comment]):
                cursor.execute(sql)
    rebuild()
    report("search index rebuilt", began)
    if connection.vendor == "postgresql":  # as autovacuum would by the time it matters
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    # SQLite keeps no statistics unless asked (Pressbox never asks): the planner sees
    # the bench site as it sees a real one.
    site = SiteSettings.load()
    site.comment_rate_per_ip = site.comment_rate_per_email = 30000  # a smallint
    site.save()
    report("done", began)


def report(what: str, began: float) -> None:
    print(f"  {what} ({time.perf_counter() - began:.0f} s)", flush=True)


def main() -> None:
    args = parse_args()
    configure(environment(args.data_dir, args.database_url))
    path = build(
        posts=args.posts,
        comments=args.comments,
        seed_comments=args.seed_comments,
        seed=args.seed,
        rebuild=args.rebuild,
    )
    print(f"The seed-shaped post: {path}")


if __name__ == "__main__":
    main()
