#!/usr/bin/env python
"""Search speed over many posts: the full-text search against the old substring search.

Builds a throwaway site of --posts generated fitness-blog posts (inserted in bulk
straight into the tables, then indexed with the real `rebuild()`), runs a mix of
queries through `pressbox.search.search()` and through the whole `/?s=` page, and
prints p50 / p95 / max per kind of query and overall, next to the old
`title__icontains | body__icontains` search as a baseline.

    .venv/bin/python bench/search.py                      # SQLite in /tmp/pressbox-bench-search
    .venv/bin/python bench/search.py --database-url postgres://postgres@127.0.0.1/pressbox_bench_search

The data stays between runs (it is rebuilt only when the post count differs, or with
--rebuild); the database must hold nothing but the bench's own posts. The repository's
data/ is never touched.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = Path("/tmp/pressbox-bench-search")  # noqa: S108 (throwaway, by design)
MARKER = "bench:"  # import_ref of every generated post

# What readers type, by kind. Common words are in 30-90 % of posts, rare ones in about
# 1 in 1,000, each phrase in a few per cent; "no match" words appear nowhere.
QUERIES = {
    "common word": ["training", "workout", "squat", "recovery"],
    "rare word": ["zercher", "pallof", "copenhagen", "landmine"],
    "two words": ["squat depth", "protein sleep", "knee pain", "heavy deadlift"],
    "phrase": ['"progressive overload"', '"romanian deadlift"', '"rest day"', '"front squat"'],
    "prefix": ["deadl*", "mobil*", "hypert*", "kettleb*"],
    "no match": ["xylophone", "quantum entanglement", "zzyzx", '"squat xylophone"'],
    "common, page 5": ["training", "strength"],
}

FUNCTION_WORDS = str.split(
    """
the and to of a in is you that it for your with on this as be are at or but not can if
more when so will from have do an by one all about what up out just than then them they
we my how most each every keep make get good time first also into only some well much
very way because before after while still even start need try work feel long real right
best better often never always
"""
)
# Words of the whole blog, then each topic's own: a post has a main topic and a second
# one, so "squat" is in the strength posts, not everywhere, as on a real blog.
GENERAL_WORDS = str.split(
    """
training workout strength coach program week progress goal form technique rest day
session plan habit body time fitness exercise health results routine beginner advanced
mistake tips guide consistency motivation gym home
"""
)
TOPICS = {
    "strength": "squat deadlift bench press barbell plate rack lockout grip bar belt chalk"
    " straps heavy load reps sets max compound accessory brace hinge stance depth",
    "hypertrophy": "muscle hypertrophy volume tension eccentric tempo isolation curl triceps"
    " biceps chest lats shoulders glutes quads hamstrings pump failure split",
    "running": "running run pace mileage tempo intervals sprint endurance marathon race"
    " shoes stride cadence hills trail zone heart rate aerobic",
    "nutrition": "protein carbs fat calories meal breakfast dinner snack fiber vegetables"
    " hydration water electrolytes creatine caffeine supplement diet deficit surplus",
    "recovery": "recovery sleep soreness fatigue deload stress foam roller massage rest"
    " nap cortisol overtraining readiness",
    "mobility": "mobility flexibility stretch hips ankle wrist spine posture yoga pilates"
    " warm range motion joint thoracic",
    "injury": "injury pain knee knees back shoulder elbow tendon rehab physio strain"
    " inflammation ice return",
    "conditioning": "conditioning cardio hiit intervals burpee jump box rower bike sled"
    " kettlebell swing circuit metcon lungs",
    "bodyweight": "bodyweight pushup pullup chinup dip plank lunge core balance stability"
    " handstand rings skills",
    "mindset": "mindset discipline confidence anxiety focus journal identity patience"
    " setbacks community",
}
RARE_WORDS = ["zercher", "pallof", "copenhagen", "landmine", "jefferson", "nordic", "turkish"]
PHRASES = [
    "progressive overload",
    "romanian deadlift",
    "rest day",
    "front squat",
    "time under tension",
    "mind muscle connection",
    "active recovery",
]
SYLLABLES = [c + v for c in "bkmnlrtsdfgpv" for v in "aeiou"]
TITLE_TEMPLATES = [
    "How to fix your {0} {1}",
    "Why {0} matters for {1}",
    "The {0} guide: {1} and {2}",
    "{0}, {1} and what nobody tells you",
    "A week of {0} {1}",
    "Five {0} mistakes that stall your {1}",
    "Ask a coach: {0} or {1}?",
    "My {0} {1} after {2} years",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000, help="posts to generate")
    parser.add_argument("--database-url", default="", help="postgres://… (default: SQLite)")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--runs", type=int, default=25, help="timed runs of each query")
    parser.add_argument("--baseline-runs", type=int, default=2, help="runs of the old search")
    parser.add_argument("--rebuild", action="store_true", help="generate the posts again")
    parser.add_argument("--build-only", action="store_true", help="generate, do not measure")
    parser.add_argument("--seed", type=int, default=5)
    return parser.parse_args()


def configure(args: argparse.Namespace) -> None:
    data_dir = args.data_dir.resolve()
    if data_dir == (ROOT / "data").resolve():
        sys.exit("Use a throwaway --data-dir, not the repository's data/.")
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["PRESSBOX_DATA_DIR"] = str(data_dir)
    os.environ["PRESSBOX_PAGE_CACHE"] = "false"
    os.environ.setdefault("PRESSBOX_ALLOWED_HOSTS", "testserver,localhost")
    if args.database_url:
        os.environ["PRESSBOX_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("PRESSBOX_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressbox.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# Generation ---------------------------------------------------------------------------


class Writer:
    """Sentences drawn from a Zipf-like mix of function words, the blog's general words,
    the post's two topics and a long tail of made-up words (standing for the rest of
    English), with the odd phrase or rare word, as real posts have."""

    # Share of each pool in a post's words: function, general, main topic, second
    # topic, tail.
    SHARES = (0.48, 0.04, 0.10, 0.04, 0.34)

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        endings = ["", "n", "r", "s", "t", "lo", "ra"]
        made = {"".join(rng.choices(SYLLABLES, k=3)) + rng.choice(endings) for _ in range(40_000)}
        self.tail = sorted(made)
        rng.shuffle(self.tail)
        self.topics = {name: words.split() for name, words in TOPICS.items()}
        self.cum = {
            len(pool): self._zipf(len(pool))
            for pool in [FUNCTION_WORDS, GENERAL_WORDS, self.tail, *self.topics.values()]
        }
        self.pools = [FUNCTION_WORDS, GENERAL_WORDS, [], [], self.tail]
        self.bounds = [sum(self.SHARES[: n + 1]) for n in range(len(self.SHARES))]

    @staticmethod
    def _zipf(n: int) -> list[float]:
        total, out = 0.0, []
        for rank in range(1, n + 1):
            total += 1 / (rank + 1)
            out.append(total)
        return out

    def words(self, k: int) -> list[str]:
        rng, out = self.rng, []
        counts = [0] * len(self.pools)
        for _ in range(k):
            x = rng.random()
            counts[next(n for n, bound in enumerate(self.bounds) if x < bound or n == 4)] += 1
        for pool, n in zip(self.pools, counts, strict=True):
            if n:
                out += rng.choices(pool, cum_weights=self.cum[len(pool)], k=n)
        rng.shuffle(out)
        return out

    def sentence(self) -> str:
        words = self.words(self.rng.randint(7, 20))
        roll = self.rng.random()
        if roll < 0.015:
            words.insert(self.rng.randrange(len(words)), self.rng.choice(PHRASES))
        elif roll < 0.0155:
            words.insert(self.rng.randrange(len(words)), self.rng.choice(RARE_WORDS))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 6)))

    def title(self) -> str:
        template = self.rng.choice(TITLE_TEMPLATES)
        picks = self.rng.choices(self.pools[2] + GENERAL_WORDS[:10], k=3)
        if self.rng.random() < 0.002:
            picks[0] = self.rng.choice(RARE_WORDS)
        return template.format(*picks).capitalize()

    def post(self) -> tuple[str, str, str]:
        """(title, Markdown, HTML) with paragraphs, a heading or two and a list."""
        main, second = self.rng.sample(list(self.topics), 2)
        self.pools[2], self.pools[3] = self.topics[main], self.topics[second]
        markdown, markup = [], []
        for n in range(self.rng.randint(3, 8)):
            if n and n % 3 == 0:
                heading = " ".join(self.words(4)).capitalize()
                markdown.append(f"## {heading}")
                markup.append(f'<h2 id="section-{n}">{heading}</h2>')
            if n == 2:
                items = [" ".join(self.words(5)) for _ in range(3)]
                markdown.append("\n".join(f"- {item}" for item in items))
                markup.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            text = self.paragraph()
            markdown.append(text)
            markup.append(f"<p>{text}</p>")
        return self.title(), "\n\n".join(markdown), "\n".join(markup)


def generate(count: int, seed: int) -> None:
    from django.db import connection, transaction
    from django.utils.text import slugify

    from pressbox.accounts.models import User
    from pressbox.lib.markup import excerpt_from_html, html_to_text
    from pressbox.posts.models import Post, PostAuthor
    from pressbox.search.index import rebuild

    rng = random.Random(seed)
    writer = Writer(rng)
    clear()
    authors = [
        User.objects.create(username=f"bench-coach-{n}", first_name=f"Coach {n}") for n in range(5)
    ]
    start = datetime(2016, 1, 1, tzinfo=UTC)
    span = int((datetime(2025, 6, 1, tzinfo=UTC) - start).total_seconds())
    began = time.perf_counter()
    for first in range(0, count, 2000):
        batch = []
        for n in range(first, min(first + 2000, count)):
            title, body, body_html = writer.post()
            when = start + timedelta(seconds=rng.randrange(span))
            batch.append(
                Post(
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
        with transaction.atomic():
            made = Post.objects.bulk_create(batch)
            if made[0].pk is None:  # a backend that returns no ids
                made = list(Post.objects.filter(import_ref__in=[p.import_ref for p in batch]))
            PostAuthor.objects.bulk_create(
                PostAuthor(post_id=p.pk, author=rng.choice(authors), position=0) for p in made
            )
        report(f"posts {min(first + 2000, count)}/{count}", began)
    began = time.perf_counter()
    rebuild(progress=lambda done, total: done % 20_000 == 0 and report(f"index {done}", began))
    report(f"indexed {count} posts", began)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def clear() -> None:
    from django.db import connection

    from pressbox.accounts.models import User
    from pressbox.posts.models import Post

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE posts_post, search_document, posts_postauthor CASCADE")
    else:
        Post.objects.all().delete()
    User.objects.filter(username__startswith="bench-coach-").delete()


def report(what: str, began: float) -> bool:
    print(f"  {what} ({time.perf_counter() - began:.0f} s)", flush=True)
    return True


# Measuring ----------------------------------------------------------------------------


def timings(call: Callable[[], object], runs: int) -> list[float]:
    call()  # warm: first-touch page reads are not what a busy site sees
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        out.append((time.perf_counter() - began) * 1000)
    return out


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def line(name: str, values: list[float], baseline: list[float] | None = None) -> str:
    text = f"{name:<16} {statistics.median(values):8.1f} {p95(values):8.1f} {max(values):8.1f}"
    if baseline:
        base = statistics.median(baseline)
        text += f"   {base:9.1f} {base / statistics.median(values):9.0f}x"
    return text


def new_search(query: str, page: int) -> Callable[[], object]:
    from pressbox.search import search

    return lambda: search(query, offset=(page - 1) * 10, limit=10).hits


def old_search(query: str, page: int) -> Callable[[], object]:
    """The substring search this replaced: a count and one page, newest first."""
    from django.db.models import Q

    from pressbox.posts.views.archives import listed_posts

    def run() -> object:
        posts = listed_posts().filter(Q(title__icontains=query) | Q(body__icontains=query))
        posts.count()
        return list(posts[(page - 1) * 10 : page * 10])

    return run


def whole_page(query: str, page: int) -> Callable[[], object]:
    from django.test import Client

    client = Client()
    path = "/" if page == 1 else f"/page/{page}/"

    def run() -> object:
        response = client.get(path, {"s": query})
        assert response.status_code == 200, response.status_code
        return response

    return run


def measure(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings

    from pressbox.search import search

    # Pages link the theme's files without a collectstatic manifest.
    plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": plain}}).enable()
    vendor = connection.vendor
    print(f"\n{vendor}: {args.runs} runs per query, {args.baseline_runs} for the old search")
    print("matches per query: " + ", ".join(
        f"{q} {search(q).total}{'+' if search(q).more else ''}"
        for qs in QUERIES.values() for q in qs[:2]
    ))  # fmt: skip
    header = f"{'kind':<16} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
    print(f"\nsearch() interface{'':<14}old search:")
    print(header + f"   {'p50 ms':>9} {'speed-up':>9}")
    everything, everything_old, pages = [], [], []
    for kind, queries in QUERIES.items():
        page = 5 if "page 5" in kind else 1
        new: list[float] = []
        old: list[float] = []
        for query in queries:
            new += timings(new_search(query, page), args.runs)
            if args.baseline_runs:
                old += timings(old_search(query.strip('"*'), page), args.baseline_runs)
            pages += timings(whole_page(query, page), max(3, args.runs // 5))
        everything += new
        everything_old += old
        print(line(kind, new, old))
    print(line("overall", everything, everything_old))
    print(f"\nwhole /?s= page (view, template, {len(pages)} requests)")
    print(header)
    print(line("overall", pages))


def main() -> None:
    args = parse_args()
    configure(args)
    from django.core.management import call_command
    from django.db import connection

    from pressbox.posts.models import Post

    call_command("migrate", verbosity=0)
    foreign = Post.objects.exclude(import_ref__startswith=MARKER).count()
    if foreign:
        sys.exit(f"The database holds {foreign} posts that are not the bench's; use another.")
    have = Post.objects.count()
    if args.rebuild or have != args.posts:
        print(f"Generating {args.posts} posts in {connection.vendor} …", flush=True)
        generate(args.posts, args.seed)
    if not args.build_only:
        measure(args)


if __name__ == "__main__":
    main()
