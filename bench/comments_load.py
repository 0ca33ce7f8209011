#!/usr/bin/env python
"""Comment load: commenters posting while readers read, against `pressbox serve`.

Sets up a fresh site (the demo) in a temporary data dir, serves it with the production
server on 127.0.0.1, then for --duration seconds runs:
  - readers: wrk with --readers connections reading the demo post page;
  - commenters: --commenters threads, each fetching a fresh form token, waiting like a
    person typing (the form refuses submissions faster than 3 s), and posting.
It prints the readers' throughput and latency, the comment POST latency (p50, p95,
p99, max), errors, and checks that every comment that got its 303 is in the database.

    .venv/bin/python bench/comments_load.py [--duration 120] [--readers 50] [--commenters 20]

Traffic goes to 127.0.0.1 only and stops after --duration seconds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRESSBOX = str(Path(sys.executable).parent / "pressbox")
MARKER = "loadbench"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pressbox(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([PRESSBOX, *args], env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        sys.exit(f"pressbox {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def setup_site(env: dict[str, str]) -> tuple[int, str]:
    pressbox(env, "migrate", "--noinput", "-v0")
    pressbox(env, "demo")
    out = pressbox(
        env,
        "shell",
        "-c",
        "from pressbox.posts.models import Post, SiteSettings\n"
        "s = SiteSettings.load(); s.comment_rate_per_ip = 60000; "
        "s.comment_rate_per_email = 60000; s.save()\n"
        "p = Post.objects.published().get(slug='two-coaches-one-squat')\n"
        "print(p.pk, p.get_absolute_url())",
    )
    pk, url = out.split()[-2:]
    return int(pk), url


def wait_until_up(port: int, deadline: float) -> None:
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("the server did not answer within 60 s")


class Commenter(threading.Thread):
    def __init__(self, n: int, port: int, post_id: int, post_url: str, stop_at: float):
        super().__init__(daemon=True)
        self.n, self.port, self.post_id, self.post_url = n, port, post_id, post_url
        self.stop_at = stop_at
        self.latencies: list[float] = []
        self.accepted: list[str] = []
        self.errors: list[str] = []

    def token(self, conn: http.client.HTTPConnection) -> str:
        conn.request("GET", f"/comments/token/{self.post_id}/")
        reply = conn.getresponse()
        body = reply.read()
        if reply.status != 200:
            raise RuntimeError(f"token: HTTP {reply.status}")
        return json.loads(body)["timestamp"]

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        origin = f"http://127.0.0.1:{self.port}"
        i = 0
        while time.time() < self.stop_at - 4:
            try:
                token = self.token(conn)
                time.sleep(3.2 + (self.n % 5) * 0.1)  # a person typing
                i += 1
                text = f"{MARKER} {self.n}-{i}: squats again today, felt strong."
                form = {
                    "comment": text,
                    "name": f"Reader {self.n}",
                    "email": f"reader{self.n}@example.net",
                    "timestamp": token,
                }
                started = time.perf_counter()
                conn.request(
                    "POST",
                    f"/comments/post/{self.post_id}/",
                    body=urllib.parse.urlencode(form),
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Origin": origin,
                    },
                )
                reply = conn.getresponse()
                reply.read()
                self.latencies.append(time.perf_counter() - started)
                if reply.status == 303:
                    self.accepted.append(text)
                else:
                    self.errors.append(f"HTTP {reply.status}")
            except (OSError, RuntimeError, http.client.HTTPException) as exc:
                self.errors.append(f"{type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def parse_wrk(output: str) -> dict[str, str]:
    found = {}
    for key, pattern in {
        "requests/s": r"Requests/sec:\s+([\d.]+)",
        "p50": r"\s50%\s+([\d.]+\w+)",
        "p99": r"\s99%\s+([\d.]+\w+)",
        "non-2xx": r"Non-2xx or 3xx responses:\s+(\d+)",
        "socket errors": r"Socket errors:(.*)",
    }.items():
        match = re.search(pattern, output)
        found[key] = match.group(1).strip() if match else "0"
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=120)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--commenters", type=int, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed for the readers: apt-get install wrk")

    data = tempfile.mkdtemp(prefix="pressbox-bench-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSBOX_")}
    env.update(PRESSBOX_DATA_DIR=data, PRESSBOX_EMAIL_URL=f"file://{data}/mail")
    post_id, post_url = setup_site(env)
    port = free_port()
    server = subprocess.Popen(
        [PRESSBOX, "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_up(port, time.time() + 60)
        stop_at = time.time() + args.duration
        readers = subprocess.Popen(
            ["wrk", "-t2", f"-c{args.readers}", f"-d{args.duration}s", "--latency",
             f"http://127.0.0.1:{port}{post_url}"],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        commenters = [
            Commenter(n, port, post_id, post_url, stop_at) for n in range(args.commenters)
        ]
        for c in commenters:
            c.start()
        for c in commenters:
            c.join()
        wrk = parse_wrk(readers.communicate()[0])
    finally:
        server.send_signal(2)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    latencies = [t for c in commenters for t in c.latencies]
    accepted = [t for c in commenters for t in c.accepted]
    errors = [e for c in commenters for e in c.errors]
    stored = pressbox(
        env,
        "shell",
        "-c",
        f"from pressbox.comments.models import Comment\n"
        f"print(Comment.objects.filter(body__startswith='{MARKER} ').count())",
    ).split()[-1]
    ms = 1000
    print(f"readers: {args.readers} connections for {args.duration} s on {post_url}")
    print(f"  requests/s {wrk['requests/s']}  p50 {wrk['p50']}  p99 {wrk['p99']}  "
          f"non-2xx {wrk['non-2xx']}  socket errors {wrk['socket errors'] or 0}")  # fmt: skip
    print(f"commenters: {args.commenters}, {len(latencies)} posts")
    if latencies:
        print(
            f"  POST p50 {statistics.median(latencies) * ms:.1f} ms  "
            f"p95 {percentile(latencies, 95) * ms:.1f} ms  "
            f"p99 {percentile(latencies, 99) * ms:.1f} ms  max {max(latencies) * ms:.1f} ms"
        )
    print(f"  errors {len(errors)}{': ' + ', '.join(sorted(set(errors))) if errors else ''}")
    print(f"  accepted (303) {len(accepted)}, in the database {stored}, "
          f"lost {len(accepted) - int(stored)}")  # fmt: skip
    shutil.rmtree(data, ignore_errors=True)
    ok = not errors and int(stored) == len(accepted) and wrk["non-2xx"] == "0"
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
