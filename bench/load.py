#!/usr/bin/env python
"""Load: readers, commenters and a writer together against `pressbox serve` (issue 8).

Loads the demo site into an empty database (a SQLite file in a temporary data dir, or
PostgreSQL with --database-url, with Redis as the cache with --cache-url), serves it
with the production server on 127.0.0.1, and for --duration seconds (default 300) runs:

  - readers: wrk with --readers connections (default 50), each request the next of the
    site's public pages (home, posts, archives, categories, tags, authors, feeds,
    sitemap, search), counting status codes by class;
  - commenters: --commenters threads (default 10; bench/comments_load.py's Commenter),
    each fetching a form token, typing for 3 s and posting;
  - a writer: one signed-in editor publishing a new post through the dashboard, then
    updating it, every --write-every seconds (default 3).

Comments are published at once (no moderation), so each one changes the page readers
read. The memory of every process of `pressbox serve` (RSS and PSS) is sampled once a
second. At the end, every write that got its success answer (303 for a comment, 302
for a post) must be in the database.

    .venv/bin/python bench/load.py [--duration 300] [--readers 50] [--commenters 10]
    createdb -h 127.0.0.1 -U postgres pressbox_load
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1/pressbox_load \\
        --cache-url redis://127.0.0.1:6379/7      # that Redis database is flushed first

Exit status 0 when there was no 5xx and no error, no write was lost, and memory stayed
flat: the median of the last minute at most 10 % above that of the second minute (for
runs under 4 minutes, the last quarter against the second). Traffic goes to 127.0.0.1
only and stops after --duration seconds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from comments_load import MARKER, Commenter, free_port, percentile, pressbox, wait_until_up

PRESSBOX = str(Path(sys.executable).parent / "pressbox")
WRITER, PASSWORD = "loadwriter", "load-bench-writer-passphrase-7"
RUN = f"run{os.getpid()}"

SETUP = f"""
import json
from pressbox.accounts.models import AuthorProfile, User
from pressbox.accounts.roles import role_assign
from pressbox.posts.models import Category, Post, SiteSettings, Tag

site = SiteSettings.load()
site.comment_moderation = SiteSettings.Moderation.PUBLISH_ALL
site.comment_rate_per_ip = site.comment_rate_per_email = 30000  # no limit in effect
site.save()
writer = User.objects.create_user({WRITER!r}, "writer@example.net", {PASSWORD!r})
AuthorProfile.objects.create(user=writer, display_name="Load Writer")
role_assign(user=writer, role="editor")
posts = list(Post.objects.published())
target = Post.objects.published().get(slug="two-coaches-one-squat")
paths = ["/", "/feed/", "/feed/atom/", "/comments/feed/", "/sitemap.xml", "/robots.txt",
         "/?s=squat", f"/{{target.published_at.year}}/"]
paths += [p.get_absolute_url() for p in posts]
paths += [c.get_absolute_url() for c in Category.objects.all()]
paths += [t.get_absolute_url() for t in Tag.objects.all()]
writers = User.objects.filter(post_authorships__isnull=False).distinct()
paths += [f"/author/{{u.username}}/" for u in writers]
print(json.dumps({{"post_id": target.pk, "post_url": target.get_absolute_url(), "paths": paths}}))
"""

WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = {}
local i = 0
function setup(thread) table.insert(threads, thread) end
function init(args) s2 = 0 s3 = 0 s4 = 0 s5 = 0 end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
function response(status, headers, body)
  if status >= 500 then s5 = s5 + 1
  elseif status >= 400 then s4 = s4 + 1
  elseif status >= 300 then s3 = s3 + 1
  else s2 = s2 + 1 end
end
function done(summary, latency, requests)
  local t = {s2 = 0, s3 = 0, s4 = 0, s5 = 0}
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
  end
  io.write(string.format("STATUS 2xx=%%d 3xx=%%d 4xx=%%d 5xx=%%d\\n", t.s2, t.s3, t.s4, t.s5))
end
"""


# The writer -----------------------------------------------------------------------------


class Writer(threading.Thread):
    """One editor in the dashboard: publishes a post, then updates it, and again."""

    def __init__(self, port: int, stop_at: float, every: float) -> None:
        super().__init__(daemon=True)
        self.port, self.stop_at, self.every = port, stop_at, every
        self.cookies: dict[str, str] = {}
        self.published: dict[int, str] = {}  # pk -> title, each answered 302
        self.updated: dict[int, str] = {}  # pk -> the body last answered 302
        self.statuses: dict[int, int] = {}
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def request(self, method: str, path: str, form: dict[str, str] | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            reply = conn.getresponse()
            text = reply.read().decode("utf-8", "replace")
        finally:
            conn.close()
        if form is not None:
            self.latencies.append(time.perf_counter() - started)
        self.statuses[reply.status] = self.statuses.get(reply.status, 0) + 1
        for name, value in reply.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return reply.status, reply.getheader("Location", ""), text

    def sign_in(self) -> None:
        self.request("GET", "/dashboard/login/")
        status, _, _ = self.request(
            "POST", "/dashboard/login/", {"username": WRITER, "password": PASSWORD}
        )
        if status != 302:
            raise RuntimeError(f"sign-in: HTTP {status}")

    def run(self) -> None:
        n = 0
        try:
            self.sign_in()
        except (OSError, RuntimeError, http.client.HTTPException) as exc:
            self.errors.append(f"{type(exc).__name__}: {exc}")
            return
        while time.time() < self.stop_at - self.every:
            n += 1
            try:
                self.write(n)
            except (OSError, RuntimeError, http.client.HTTPException) as exc:
                self.errors.append(f"{type(exc).__name__}: {exc}")
            time.sleep(self.every)

    def write(self, n: int) -> None:
        fields = {"authors": WRITER, "comments_open": "on", "body_format": "markdown"}
        if n % 2:
            title = f"Load {RUN} post {n}"
            status, location, _ = self.request(
                "POST",
                "/dashboard/posts/new/",
                {**fields, "title": title, "body": f"Squats, day {n}.", "version": "0",
                 "action": "publish"},
            )  # fmt: skip
            found = re.search(r"/dashboard/posts/(\d+)/edit/", location)
            if status != 302 or not found:
                raise RuntimeError(f"publish: HTTP {status}")
            self.published[int(found[1])] = title
            return
        pk = max(self.published)
        status, _, page = self.request("GET", f"/dashboard/posts/{pk}/edit/")
        version = re.search(r'name="version" value="(\d+)"', page)
        if status != 200 or not version:
            raise RuntimeError(f"edit page: HTTP {status}")
        body = f"Squats, day {n}, updated."
        status, _, _ = self.request(
            "POST",
            f"/dashboard/posts/{pk}/edit/",
            {**fields, "title": self.published[pk], "body": body, "version": version[1],
             "action": "update"},
        )  # fmt: skip
        if status != 302:
            raise RuntimeError(f"update: HTTP {status}")
        self.updated[pk] = body


# Memory ---------------------------------------------------------------------------------


def process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def kib(path: str, field: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


class MemorySampler(threading.Thread):
    """RSS and PSS (MB) of the whole `pressbox serve` tree, once a second, and the CPU
    time it used meanwhile (a figure that other work on the machine does not inflate)."""

    def __init__(self, root: int, stop_at: float) -> None:
        super().__init__(daemon=True)
        self.root, self.stop_at = root, stop_at
        self.samples: list[tuple[float, float, float]] = []  # (seconds, rss, pss)
        self.cpu = 0.0

    def run(self) -> None:
        started = time.time()
        cpu_at_start = cpu_seconds(process_tree(self.root))
        while time.time() < self.stop_at:
            pids = process_tree(self.root)
            rss = sum(kib(f"/proc/{p}/status", "VmRSS:") for p in pids) / 1024
            pss = sum(kib(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids) / 1024
            self.samples.append((time.time() - started, rss, pss))
            self.cpu = cpu_seconds(pids) - cpu_at_start
            time.sleep(1)


def flatness(samples: list[tuple[float, float, float]], duration: float) -> dict[str, float]:
    """Median PSS of the second minute and of the last minute (quarters if short)."""
    if duration >= 240:
        early, late = (60, 120), (duration - 60, duration)
    else:
        early, late = (duration / 4, duration / 2), (duration * 3 / 4, duration)
    pick = lambda lo, hi: [p for t, _, p in samples if lo <= t < hi] or [0.0]  # noqa: E731
    first, last = statistics.median(pick(*early)), statistics.median(pick(*late))
    return {"early": first, "late": last, "growth": (last - first) / first if first else 0.0}


# Set-up and report ----------------------------------------------------------------------


def setup_site(env: dict[str, str]) -> dict:
    pressbox(env, "migrate", "--noinput", "-v0")
    check = "from pressbox.posts.models import Post\nprint(Post.objects.count())"
    if pressbox(env, "shell", "-c", check).split()[-1] != "0":
        sys.exit("The database is not empty: give bench/load.py an empty one.")
    pressbox(env, "demo")
    return json.loads(pressbox(env, "shell", "-c", SETUP).strip().splitlines()[-1])


def readable(port: int, paths: list[str]) -> list[str]:
    """The pages that answer 200 now (the readers' list)."""
    found = []
    for path in paths:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path)
        if conn.getresponse().status == 200:
            found.append(path)
        conn.close()
    return found


def run_readers(port: int, paths: list[str], args: argparse.Namespace, workdir: str):
    script = Path(workdir) / "readers.lua"
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths)})
    return subprocess.Popen(
        ["wrk", "-t2", f"-c{args.readers}", f"-d{args.duration}s", "--timeout", "10s",
         "--latency", "-s", str(script), f"http://127.0.0.1:{port}"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip


def parse_wrk(output: str) -> dict[str, str]:
    found = {}
    for key, pattern in {
        "requests": r"(\d+) requests in",
        "requests/s": r"Requests/sec:\s+([\d.]+)",
        "p50": r"\s50%\s+([\d.]+\w+)",
        "p99": r"\s99%\s+([\d.]+\w+)",
        "socket errors": r"Socket errors:(.*)",
        "status": r"STATUS (.*)",
    }.items():
        match = re.search(pattern, output)
        found[key] = match.group(1).strip() if match else ""
    return found


def stored_writes(env: dict[str, str]) -> dict:
    code = (
        "import json\n"
        "from pressbox.comments.models import Comment\n"
        "from pressbox.posts.models import Post\n"
        f"c = list(Comment.objects.filter(body__startswith='{MARKER} ').values_list('body', flat=True))\n"  # noqa: E501
        f"p = {{x.pk: [x.title, x.body] for x in Post.objects.filter(title__startswith='Load {RUN} ')}}\n"  # noqa: E501
        "print(json.dumps({'comments': c, 'posts': p}))"
    )
    return json.loads(pressbox(env, "shell", "-c", code).strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=300, help="seconds (300)")
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--commenters", type=int, default=10)
    parser.add_argument("--write-every", type=float, default=3.0, help="seconds (3)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--database-url", default="", help="an empty PostgreSQL database")
    parser.add_argument("--cache-url", default="", help="redis://…/N, flushed first")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed for the readers: apt-get install wrk")

    data = tempfile.mkdtemp(prefix="pressbox-load-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSBOX_")}
    env.update(PRESSBOX_DATA_DIR=data, PRESSBOX_EMAIL_URL=f"file://{data}/mail")
    if args.database_url:
        env["PRESSBOX_DATABASE_URL"] = args.database_url
    if args.cache_url:
        import redis

        redis.Redis.from_url(args.cache_url).flushdb()
        env["PRESSBOX_CACHE_URL"] = args.cache_url
    site = setup_site(env)
    port = free_port()
    with open(f"{data}/serve.log", "wb") as log:
        server = subprocess.Popen(
            [PRESSBOX, "serve", "--port", str(port), "--workers", str(args.workers)],
            env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
        )  # fmt: skip
    try:
        wait_until_up(port, time.time() + 90)
        paths = readable(port, site["paths"])
        stop_at = time.time() + args.duration
        memory = MemorySampler(server.pid, stop_at)
        memory.start()
        readers = run_readers(port, paths, args, data)
        commenters = [
            Commenter(n, port, site["post_id"], site["post_url"], stop_at)
            for n in range(args.commenters)
        ]
        writer = Writer(port, stop_at, args.write_every)
        for thread in [*commenters, writer]:
            thread.start()
        for thread in [*commenters, writer, memory]:
            thread.join()
        wrk = parse_wrk(readers.communicate()[0])
        alive = server.poll() is None
    finally:
        server.send_signal(2)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    stored = stored_writes(env)
    accepted = [t for c in commenters for t in c.accepted]
    comment_errors = [e for c in commenters for e in c.errors]
    latencies = [t for c in commenters for t in c.latencies]
    lost_comments = sorted(set(accepted) - set(stored["comments"]))
    posts = {int(pk): v for pk, v in stored["posts"].items()}
    lost_posts = [pk for pk, title in writer.published.items() if posts.get(pk, [""])[0] != title]
    lost_updates = [pk for pk, body in writer.updated.items() if posts.get(pk, ["", ""])[1] != body]
    status = dict(item.split("=") for item in wrk["status"].split()) if wrk["status"] else {}
    samples = memory.samples
    flat = flatness(samples, args.duration)
    pss = [p for _, _, p in samples] or [0.0]
    rss = [r for _, r, _ in samples] or [0.0]

    served = int(wrk["requests"] or 0) + 2 * len(latencies) + sum(writer.statuses.values())
    backend = "PostgreSQL" if args.database_url else "SQLite"
    cache = "Redis" if args.cache_url else "file cache"
    listed = lambda errors: ": " + ", ".join(sorted(set(errors))) if errors else ""  # noqa: E731
    ms = 1000
    verdict = "flat" if flat["growth"] <= 0.10 else "GROWING"
    lines = [
        f"pressbox serve --workers {args.workers} on {backend} + {cache}, {args.duration} s; "
        f"load average at the end {os.getloadavg()[0]:.2f}",
        f"readers: {args.readers} connections over {len(paths)} pages: {wrk['requests']} "
        f"requests, {wrk['requests/s']}/s, p50 {wrk['p50']}, p99 {wrk['p99']}",
        f"  status {wrk['status'] or '?'}; socket errors {wrk['socket errors'] or 'none'}",
        f"commenters: {args.commenters}, {len(latencies)} posted, {len(accepted)} got 303, "
        f"errors {len(comment_errors)}{listed(comment_errors)}",
    ]
    if latencies:
        lines.append(
            f"  POST p50 {statistics.median(latencies) * ms:.0f} ms, "
            f"p99 {percentile(latencies, 99) * ms:.0f} ms, max {max(latencies) * ms:.0f} ms"
        )
    lines += [
        f"writer: {len(writer.published)} posts published and {len(writer.updated)} updated "
        f"(302 each); HTTP {dict(sorted(writer.statuses.items()))}; "
        f"errors {len(writer.errors)}{listed(writer.errors)}",
        f"lost writes: comments {len(lost_comments)}, posts {len(lost_posts)}, "
        f"updates {len(lost_updates)}",
        f"memory of the serve tree (MB): PSS start {pss[0]:.0f}, end {pss[-1]:.0f}, "
        f"max {max(pss):.0f}; RSS start {rss[0]:.0f}, end {rss[-1]:.0f}, max {max(rss):.0f}",
        f"  PSS median early {flat['early']:.0f}, last {flat['late']:.0f}: "
        f"{flat['growth'] * 100:+.1f} % -> {verdict}",
        f"server CPU time: {memory.cpu:.0f} s in {args.duration} s "
        f"({memory.cpu / args.duration * 100:.0f} % of one core; the machine has "
        f"{os.cpu_count()}); {memory.cpu * 1000 / max(1, served):.1f} ms per request",
        f"server still running at the end: {alive}",
    ]
    print("\n".join(lines))

    ok = (
        alive
        and status.get("5xx", "1") == "0"
        and not comment_errors
        and not writer.errors
        and not (lost_comments or lost_posts or lost_updates)
        and flat["growth"] <= 0.10
        and not any(code >= 500 for code in writer.statuses)
    )
    shutil.rmtree(data, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
