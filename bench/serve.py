#!/usr/bin/env python
"""Page speed (`make bench`): Pressbox's pages against the same bytes served by nginx.

Builds a bench site (bench/site.py: --posts generated posts with 20 comments each, and
the seed-shaped post with 50), then measures with wrk on 127.0.0.1, in one run, for
each page (the seed post, home, its category, the feed, a search):

  nginx static   the page saved as a file and served by nginx: the ceiling;
  file cache     nginx with docs/nginx/pressbox.conf in front of `pressbox serve`
                 (PRESSBOX_PAGE_CACHE_DIR): a page file when there is one, else Python;
  cached         `pressbox serve` answering from its page cache;
  uncached       `pressbox serve` with PRESSBOX_PAGE_CACHE=false: every request renders
                 the page, with the queries and templates of a page-cache miss (the
                 site settings, menu and related posts still come from the cache, as
                 they do on a miss).

It prints requests/s, p50 and p99 of each, every figure as a ratio to the ceiling, the
CPU time the serving processes spent per request (the figure that holds when other work
shares the machine: two cores serve at most 2,000 / that many requests a second), and
checks the targets of issue 7: cached post page ≥ 0.15 × nginx static, through the file
cache ≥ 0.8 ×, uncached post page ≥ 300 requests/s with p99 under 50 ms.

    .venv/bin/python bench/serve.py                  # 1,000 posts, SQLite
    .venv/bin/python bench/serve.py --posts 100000   # the same figures on a big site
    .venv/bin/python bench/serve.py --database-url postgres://postgres@127.0.0.1/pressbox_bench_1000

Requests carry no Accept-Encoding (plain bytes everywhere). Sites stay in --work-dir
(/tmp/pressbox-bench) between runs, one per size and database, and are rebuilt only
when asked (--rebuild) or when the numbers change. Each wrk run lasts --duration
seconds; the default run takes about four minutes on two cores.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NGINX = "/usr/sbin/nginx"
WRK = "/usr/bin/wrk"
DOCS_CONF = ROOT / "docs" / "nginx" / "pressbox.conf"
DEFAULT_WORK_DIR = Path("/tmp/pressbox-bench")  # noqa: S108 (throwaway, by design)

PAGES = {  # name: path (the post's is filled in once the site exists)
    "post": "",
    "home": "/",
    "category": "/category/training/",
    "feed": "/feed/",
    "search": "/?s=squat+depth",
}
LEGS = ["nginx static", "file cache", "cached", "uncached"]
TARGETS = {  # (page, leg): (what, check of a Result against its ceiling)
    ("post", "cached"): "≥ 0.15 × static",
    ("post", "file cache"): "≥ 0.8 × static",
    ("post", "uncached"): "≥ 300/s, p99 < 50 ms",
}

NGINX_CONF = """\
worker_processes auto;
daemon off;
pid {base}/nginx.pid;
error_log {base}/error.log;
{user}
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {base}/temp/body;
    proxy_temp_path {base}/temp/proxy;
    fastcgi_temp_path {base}/temp/fastcgi;
    uwsgi_temp_path {base}/temp/uwsgi;
    scgi_temp_path {base}/temp/scgi;
    # The ceiling: each page's bytes as a file.
    server {{
        listen 127.0.0.1:{static_port};
        root {base}/static-pages;
        default_type text/html;
        charset utf-8;
    }}
    # The deployment of docs/deploy.md.
    include {base}/pressbox.conf;
}}
"""

# Until docs/nginx/pressbox.conf exists: the same interface (try_files on the page
# directory, then Pressbox).
FALLBACK_SITE_CONF = """\
upstream pressbox {
    server 127.0.0.1:8000;
    keepalive 16;
}
server {
    listen 80;
    root /var/cache/pressbox/pages;
    charset utf-8;
    location / {
        try_files $uri/index.html @pressbox;
    }
    location @pressbox {
        proxy_pass http://pressbox;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
    }
}
"""


@dataclass
class Result:
    rps: float
    p50: float  # ms
    p99: float  # ms
    errors: int
    cpu: float  # ms of server CPU per answered request


# Site and servers -----------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000, help="generated posts (1000)")
    parser.add_argument("--database-url", default="", help="postgres://… (default: SQLite)")
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR)
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run (8)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--workers", type=int, default=0, help="`pressbox serve` default")
    parser.add_argument("--pages", default=",".join(PAGES), help="which pages, comma-separated")
    parser.add_argument("--rebuild", action="store_true", help="generate the site again")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_site(args: argparse.Namespace, data: Path) -> str:
    """The site in `data` (bench/site.py); returns the seed post's path."""
    command = [sys.executable, str(ROOT / "bench" / "site.py"), "--posts", str(args.posts)]
    command += ["--data-dir", str(data)]
    if args.database_url:
        command += ["--database-url", args.database_url]
    if args.rebuild:
        command.append("--rebuild")
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode:
        sys.exit(f"bench/site.py failed:\n{done.stdout}")
    print(done.stdout.strip(), flush=True)
    return done.stdout.strip().split()[-1]


def site_env(args: argparse.Namespace, data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSBOX_")}
    env.update(PRESSBOX_DATA_DIR=str(data), PRESSBOX_EMAIL_URL=f"file://{data}/mail", **extra)
    if args.database_url:
        env["PRESSBOX_DATABASE_URL"] = args.database_url
    return env


class Server:
    """`pressbox serve` on a free port, stopped with the signal Ctrl+C sends."""

    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        command = [str(BIN / "pressbox"), "serve", "--port", str(self.port)]
        if workers:
            command += ["--workers", str(workers)]
        self.process = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"pressbox serve stopped:\n{self.process.stderr.read().decode()}")  # type: ignore[union-attr]
            if get(self.port, "/robots.txt")[0] == 200:
                return
            time.sleep(0.3)
        self.stop()
        sys.exit("pressbox serve did not answer within two minutes")

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class Nginx:
    """One nginx: the ceiling on `static_port`, docs/nginx/pressbox.conf on `port`."""

    def __init__(self, base: Path, *, upstream: int, pages: Path, data: Path) -> None:
        self.base, self.port, self.static_port = base, free_port(), free_port()
        if base.exists():
            shutil.rmtree(base)
        for folder in ("temp", "static-pages"):
            (base / folder).mkdir(parents=True)
        base.chmod(0o755)  # nginx's workers run as nobody when this runs as root
        self.source = DOCS_CONF if DOCS_CONF.exists() else None
        site = self.source.read_text() if self.source else FALLBACK_SITE_CONF
        for old, new in {
            "listen 80;": f"listen 127.0.0.1:{self.port};",
            "listen [::]:80;": "",
            "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream};",
            "/var/cache/pressbox/pages": str(pages),
            "/var/lib/pressbox/static/": f"{data}/static/",
            "/var/lib/pressbox/media/": f"{data}/media/",
        }.items():
            site = site.replace(old, new)
        (base / "pressbox.conf").write_text(site)
        user = "user nobody nogroup;" if os.geteuid() == 0 else ""
        conf = NGINX_CONF.format(base=base, user=user, static_port=self.static_port)
        (base / "nginx.conf").write_text(conf)
        command = [NGINX, "-p", str(base), "-c", str(base / "nginx.conf")]
        command += ["-e", str(base / "error.log")]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
        )
        for _ in range(200):
            if self.process.poll() is not None:
                sys.exit(f"nginx did not start: {self.process.stdout.read().decode()}")  # type: ignore[union-attr]
            if get(self.static_port, "/")[0] in (200, 403, 404):
                return
            time.sleep(0.05)
        sys.exit("nginx did not answer")

    @property
    def pid(self) -> int:
        return self.process.pid

    def save(self, name: str, body: bytes) -> str:
        """The page's bytes as a file of the ceiling server; returns its path."""
        (self.base / "static-pages" / f"{name}.html").write_bytes(body)
        return f"/{name}.html"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def get(port: int, path: str) -> tuple[int, bytes, dict[str, str]]:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path)
        reply = connection.getresponse()
        body = reply.read()
        connection.close()
        return reply.status, body, {k.lower(): v for k, v in reply.getheaders()}
    except OSError:
        return 0, b"", {}


# Measuring ------------------------------------------------------------------------------


def wrk(port: int, path: str, args: argparse.Namespace, servers: list[int]) -> Result:
    """wrk against the path; `servers` are the processes doing the serving, whose
    CPU time per answered request is measured too (a figure that holds on a busy
    machine, where requests/s depend on what else runs)."""
    command = [WRK, "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "10s"]
    command.append("--latency")
    before = sum(cpu_ms(pid) for pid in servers)
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=args.duration + 60,
    ).stdout
    used = sum(cpu_ms(pid) for pid in servers) - before
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    answered = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(bad.group(1)) if bad else 0
    errors += sum(int(n) for n in sockets.groups()) if sockets else 0
    cpu = used / answered if answered else float("nan")
    return Result(rps, latency(out, "50%"), latency(out, "99%"), errors, cpu)


def cpu_ms(root: int) -> float:
    """User and system CPU time of a process and its live descendants, in ms."""
    parent, ticks = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (name)": state, ppid, …
        parent[int(entry)] = int(fields[1])
        ticks[int(entry)] = int(fields[11]) + int(fields[12])
    total = 0
    for pid in ticks:
        ancestor = pid
        while ancestor > 1 and ancestor != root:
            ancestor = parent.get(ancestor, 0)
        if ancestor == root:
            total += ticks[pid]
    return total * 1000 / os.sysconf("SC_CLK_TCK")


def latency(out: str, which: str) -> float:
    value, unit = re.search(rf"\s{which}\s+([\d.]+)(us|ms|s)\b", out).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def warm(port: int, path: str, times: int = 30) -> bytes:
    """A few requests first: the page lands in the cache, the templates get compiled."""
    body = b""
    for _ in range(times):
        status, body, _ = get(port, path)
        if status != 200:
            sys.exit(f"GET {path} answered {status} on port {port}")
    return body


def verdict(page: str, leg: str, result: Result, ceiling: Result) -> str:
    if (page, leg) not in TARGETS:
        return ""
    if leg == "uncached":
        ok = result.rps >= 300 and result.p99 < 50
    else:
        ok = result.rps >= (0.15 if leg == "cached" else 0.8) * ceiling.rps
    return f"{'pass' if ok else 'FAIL'} ({TARGETS[page, leg]})"


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    args = parse_args()
    for tool in (NGINX, WRK):
        if not Path(tool).exists():
            sys.exit(f"{tool} is needed: apt-get install {Path(tool).name}")
    database = "postgresql" if args.database_url else "sqlite"
    data = args.work_dir / f"site-{args.posts}-{database}"
    pages = {name: PAGES[name] for name in args.pages.split(",")}
    pages["post"] = build_site(args, data)
    files = data / "page-files"
    shutil.rmtree(files, ignore_errors=True)
    results: dict[tuple[str, str], Result] = {}
    load = [uptime()]

    server = Server(site_env(args, data, PRESSBOX_PAGE_CACHE_DIR=str(files)), args.workers)
    nginx = Nginx(args.work_dir / "nginx", upstream=server.port, pages=files, data=data)
    try:
        for name, path in pages.items():
            body = warm(server.port, path)
            ceiling = nginx.save(name, body)
            results[name, "nginx static"] = wrk(nginx.static_port, ceiling, args, [nginx.pid])
            warm(nginx.port, path)
            both = [nginx.pid, server.pid]
            results[name, "file cache"] = wrk(nginx.port, path, args, both)
            results[name, "cached"] = wrk(server.port, path, args, [server.pid])
            print(f"  measured {name} (static, file cache, cached)", flush=True)
    finally:
        server.stop()
    server = Server(site_env(args, data, PRESSBOX_PAGE_CACHE="false"), args.workers)
    try:
        for name, path in pages.items():
            warm(server.port, path)
            results[name, "uncached"] = wrk(server.port, path, args, [server.pid])
            print(f"  measured {name} (uncached)", flush=True)
    finally:
        server.stop()
        nginx.stop()
    load.append(uptime())
    report(args, pages, results, load, nginx.source)
    failed = any(
        verdict(page, leg, results[page, leg], results[page, "nginx static"]).startswith("FAIL")
        for page, leg in TARGETS
        if page in pages
    )
    sys.exit(1 if failed else 0)


def report(
    args: argparse.Namespace,
    pages: dict[str, str],
    results: dict[tuple[str, str], Result],
    load: list[str],
    conf: Path | None,
) -> None:
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"\n{args.posts:,} posts + the seed post (50 comments), {database}; wrk -t2 "
        f"-c{args.connections} -d{args.duration}s on 127.0.0.1, no Accept-Encoding"
    )
    print(f"nginx site config: {conf.relative_to(ROOT) if conf else 'built-in fallback'}")
    print(f"load before: {load[0]}\nload after:  {load[1]}\n")
    header = (
        f"{'page':<9} {'leg':<13} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'× static':>9} "
        f"{'CPU ms/req':>10}"
    )
    print(header + "  target")
    print("-" * (len(header) + 30))
    for name in pages:
        ceiling = results[name, "nginx static"]
        for leg in LEGS:
            r = results[name, leg]
            errors = f"  {r.errors} errors" if r.errors else ""
            print(
                f"{name:<9} {leg:<13} {r.rps:9.0f} {r.p50:8.2f} {r.p99:8.2f} "
                f"{r.rps / ceiling.rps:9.3f} {r.cpu:10.2f}  "
                f"{verdict(name, leg, r, ceiling)}{errors}"
            )
    print("\npages: " + ", ".join(f"{name} {path}" for name, path in pages.items()))
    print(
        "CPU ms/req: user+system time of the serving processes (nginx, `pressbox serve`) "
        f"per answered request; {os.cpu_count()} cores give at most "
        f"{os.cpu_count() or 1} × 1000 / that requests/s, whatever else the machine runs"
        + (" (PostgreSQL's own processes not counted)." if args.database_url else ".")
    )


if __name__ == "__main__":
    main()
