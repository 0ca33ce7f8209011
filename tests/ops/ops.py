"""Real `pressbox serve` processes for the fault and scale-out tests (issue 8).

A `Site` is a data dir and a database with a small blog in it: on the SQLite pass a
file in the data dir and the default file cache; on the PostgreSQL pass a database of
its own on the server PRESSBOX_DATABASE_URL names (its name starts with that one's) and
a Redis database on a throwaway redis-server. Sites are copied from a template built
once per session, since migrating costs seconds. `Site.serve()` starts `pressbox serve`
(granian and its task worker) on a free port of 127.0.0.1; `Site.close()` stops every
process the site started. Traffic stays on the loopback interface.
"""

from __future__ import annotations

import contextlib
import http.client
import http.cookies
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

PRESSBOX = str(Path(sys.executable).parent / "pressbox")
DATABASE_URL = os.environ.get("PRESSBOX_DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://", "pgsql://"))
NEEDS_POSTGRES = "needs PostgreSQL and Redis: runs in the PostgreSQL pass (PRESSBOX_DATABASE_URL)"

PASSWORD = "squat-deep-rise-slowly-42"

# Run once in the template site: a post by Maya open for comments, one held comment,
# an administrator (Ed) who can sign in, comments published at once and all shown on
# the post's page, rate limits the tests stay under, and a form token for the post.
SETUP = f"""
import json
from pressbox.accounts.factories import AuthorProfileFactory
from pressbox.accounts.roles import role_assign
from pressbox.comments.factories import CommentFactory
from pressbox.comments.protection import form_token
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import SiteSettings

site = SiteSettings.load()
site.title = "Ops Test Blog"
site.comment_rate_per_ip = site.comment_rate_per_email = 1000  # the most the form allows
site.comment_moderation = SiteSettings.Moderation.PUBLISH_ALL
site.comments_per_page = 0
site.save()
maya = AuthorProfileFactory(
    user__username="maya", user__email="maya@pressbox.example", display_name="Maya"
).user
role_assign(user=maya, role="author")
ed = AuthorProfileFactory(
    user__username="ed", user__email="ed@pressbox.example", display_name="Ed"
).user
ed.set_password({PASSWORD!r})
ed.save()
role_assign(user=ed, role="administrator")
post = PostFactory(title="Stronger Knees", slug="stronger-knees", authors=[maya])
held = CommentFactory(
    post=post, status="pending", author_name="Ann", author_email="ann@example.net",
    body="Held: do knee sleeves help?",
)
print(json.dumps({{"post_id": post.pk, "post_path": post.get_absolute_url(),
                  "held_id": held.pk, "token": form_token(post.pk)}}))
"""


_handed_out: set[int] = set()


def free_port() -> int:
    """A port nothing listens on now, and never the same one twice in this run."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in _handed_out:
            _handed_out.add(port)
            return port


def clean_environ() -> dict[str, str]:
    """This process's environment without any PRESSBOX_* setting of the suite's."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PRESSBOX_")}


def pressbox(env: dict[str, str], *args: str, timeout: float = 180) -> str:
    result = subprocess.run(
        [PRESSBOX, *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise AssertionError(f"pressbox {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# HTTP ---------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


def request(
    port: int,
    method: str,
    path: str,
    *,
    form: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 15,
) -> Reply:
    """One request on a new connection; redirects are not followed. A form value may be
    a list (several values for one name)."""
    body = urllib.parse.urlencode(form, doseq=True) if form is not None else None
    sent = {"Connection": "close", **(headers or {})}
    if form is not None:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.setdefault("Origin", f"http://127.0.0.1:{port}")
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=sent)
        answer = conn.getresponse()
        text = answer.read().decode("utf-8", "replace")
        found: dict[str, str] = {}
        for name, value in answer.getheaders():
            key = name.lower()
            found[key] = f"{found[key]}\n{value}" if key in found else value
    finally:
        conn.close()
    return Reply(answer.status, found, text, time.monotonic() - started)


class Browser:
    """Cookies kept between requests to one server, as a signed-in writer's browser."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs: Any) -> Reply:
        headers = kwargs.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        reply = request(self.port, method, path, headers=headers, **kwargs)
        for line in reply.header("set-cookie").split("\n"):
            jar = http.cookies.SimpleCookie()
            with contextlib.suppress(http.cookies.CookieError):
                jar.load(line)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return reply

    def sign_in(self, username: str, password: str) -> None:
        page = self.request("GET", "/dashboard/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        assert token, f"no sign-in form (HTTP {page.status})"
        reply = self.request(
            "POST",
            "/dashboard/login/",
            form={"csrfmiddlewaretoken": token[1], "username": username, "password": password},
            headers={"Referer": f"http://127.0.0.1:{self.port}/dashboard/login/"},
        )
        assert reply.status == 302, f"sign-in answered HTTP {reply.status}"

    def post_form(self, path: str, form: dict[str, Any]) -> Reply:
        return self.request(
            "POST",
            path,
            form={"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form},
            headers={"Referer": f"http://127.0.0.1:{self.port}{path}"},
        )


class FormFields(HTMLParser):
    """What a browser would send for each <form> of a page, as it stands."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self.select: str | None = None
        self.first_option: str | None = None
        self.textarea: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({})
        if not self.forms:
            return
        fields, name = self.forms[-1], found.get("name", "")
        kind = found.get("type", "text")
        if tag == "input" and name and kind not in ("submit", "button", "file", "image", "reset"):
            if kind not in ("checkbox", "radio") or "checked" in found:
                fields.setdefault(name, []).append(
                    found.get("value", "on" if kind == "checkbox" else "")
                )
        elif tag == "select" and name:
            self.select, self.first_option = name, None
        elif tag == "option" and self.select:
            value = found.get("value", "")
            self.first_option = value if self.first_option is None else self.first_option
            if "selected" in found:
                fields.setdefault(self.select, []).append(value)
        elif tag == "textarea" and name:
            self.textarea = name
            fields[name] = [""]

    def handle_data(self, data: str) -> None:
        if self.textarea and self.forms:
            self.forms[-1][self.textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select and self.forms:
            if self.select not in self.forms[-1] and self.first_option is not None:
                self.forms[-1][self.select] = [self.first_option]
            self.select = None

    def form_with(self, name: str) -> dict[str, list[str]]:
        return next(form for form in self.forms if name in form)


# Processes ----------------------------------------------------------------------------


def process_tree(root: int) -> list[int]:
    """`root` and every process below it (Linux /proc), parents first."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop(0)
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def gone(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


class Server:
    """One `pressbox serve` process (the supervisor, granian, its workers, the task worker)."""

    def __init__(self, site: Site, port: int, args: list[str]) -> None:
        self.site, self.port, self.args = site, port, args
        self.log_path = site.data_dir / f"serve-{port}.log"
        self.start()

    def start(self) -> None:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [PRESSBOX, "serve", "--port", str(self.port), *self.args],
                env=self.site.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def restart_elsewhere(self) -> None:
        self.stop()
        self.port = free_port()
        self.log_path = self.site.data_dir / f"serve-{self.port}.log"
        self.start()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_up(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive() and "Address already in use" in self.log():
                self.restart_elsewhere()  # another program took the port meanwhile
            if not self.alive():
                raise AssertionError(f"pressbox serve exited:\n{self.log()[-3000:]}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if self.get("/").status == 200:
                    return
            time.sleep(0.25)
        raise AssertionError(f"pressbox serve did not answer in {timeout} s:\n{self.log()[-3000:]}")

    def get(self, path: str, **kwargs: Any) -> Reply:
        return request(self.port, "GET", path, **kwargs)

    def post(self, path: str, form: dict[str, str], **kwargs: Any) -> Reply:
        return request(self.port, "POST", path, form=form, **kwargs)

    def kill9(self) -> None:
        """kill -9 of the whole server at one instant: every process is frozen first, so
        none of them sees another die and shuts down cleanly."""
        tree = process_tree(self.process.pid)
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            for pid in tree:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)
        self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while not all(gone(pid) for pid in tree) and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill9()
        elif any(not gone(pid) for pid in process_tree(self.process.pid)[1:]):
            self.kill9()


# Comments -----------------------------------------------------------------------------


def comment_form(token: str, text: str, n: int = 0) -> dict[str, str]:
    return {
        "comment": text,
        "name": f"Reader {n}",
        "email": f"reader{n}@example.net",
        "timestamp": token,
    }


def comment_id(location: str) -> int:
    found = re.search(r"#comment-(\d+)$", location)
    assert found, f"no comment anchor in {location!r}"
    return int(found[1])


# Databases ----------------------------------------------------------------------------


class Database:
    url: str

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def integrity_problems(self) -> list[str]:
        raise NotImplementedError

    def drop(self) -> None:
        pass


class SqliteDatabase(Database):
    def __init__(self, path: Path) -> None:
        self.path, self.url = path, ""

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with contextlib.closing(sqlite3.connect(self.path, timeout=30)) as conn:
            conn.isolation_level = None  # autocommit, as the psycopg connection below
            return conn.execute(sql.replace("%s", "?"), params).fetchall()

    def integrity_problems(self) -> list[str]:
        with contextlib.closing(sqlite3.connect(self.path, timeout=30)) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            problems = [p for p in problems if p != "ok"]
            keys = conn.execute("PRAGMA foreign_key_check").fetchall()
        return problems + [f"foreign key: {row}" for row in keys]


def postgres_params(url: str, dbname: str | None = None) -> dict[str, Any]:
    parts = urllib.parse.urlsplit(url)
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": urllib.parse.unquote(parts.username or "postgres"),
        "password": urllib.parse.unquote(parts.password or "") or None,
        "dbname": dbname or parts.path.lstrip("/"),
    }


def postgres_url(url: str, dbname: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{dbname}"))


def postgres_admin(url: str) -> Any:
    import psycopg

    return psycopg.connect(**postgres_params(url, "postgres"), autocommit=True)


class PostgresDatabase(Database):
    def __init__(self, url: str) -> None:
        self.url = url
        self.name = postgres_params(url)["dbname"]

    @classmethod
    def create(cls, server_url: str, name: str, template: str | None = None) -> PostgresDatabase:
        with postgres_admin(server_url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(
                f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' * bool(template))
            )
        return cls(postgres_url(server_url, name))

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(**postgres_params(self.url), autocommit=True) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def integrity_problems(self) -> list[str]:
        """pg_amcheck: every table's heap and every B-tree index checked, rows included."""
        params = postgres_params(self.url)
        amcheck = shutil.which("pg_amcheck") or next(
            iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_amcheck"), reverse=True)),
            None,
        )
        assert amcheck, "pg_amcheck (PostgreSQL's integrity check) is not installed"
        result = subprocess.run(
            [str(amcheck), "--install-missing", "--heapallindexed", "--host", params["host"],
             "--port", str(params["port"]), "--username", params["user"], params["dbname"]],
            capture_output=True, text=True, timeout=120,
            env={**os.environ, "PGPASSWORD": params["password"] or ""},
        )  # fmt: skip
        return [] if result.returncode == 0 else [result.stdout + result.stderr]

    def drop(self) -> None:
        with postgres_admin(self.url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# Sites --------------------------------------------------------------------------------


@dataclass
class Site:
    data_dir: Path
    env: dict[str, str]
    db: Database
    info: dict[str, Any] = field(default_factory=dict)
    servers: list[Server] = field(default_factory=list)

    @property
    def post_id(self) -> int:
        return int(self.info["post_id"])

    @property
    def post_path(self) -> str:
        return str(self.info["post_path"])

    def form_token(self) -> str:
        """The comment form's signed timestamp, as the post's page carried it when the
        template was made; signed with the secret key every copy shares, and at least
        the form's 3 s old, so comments can be sent at once."""
        time.sleep(max(0.0, self.info["minted_at"] + 3.2 - time.time()))
        return str(self.info["token"])

    def serve(self, *, workers: int = 1, worker: bool = True, wait: bool = True) -> Server:
        args = ["--workers", str(workers), *([] if worker else ["--no-worker"])]
        server = Server(self, free_port(), args)
        self.servers.append(server)
        if wait:
            server.wait_up()
        return server

    def pressbox(self, *args: str) -> str:
        return pressbox(self.env, *args)

    def comments(self, ids: list[int]) -> dict[int, str]:
        """{id: body} of the comments with these ids that the database holds."""
        found: dict[int, str] = {}
        for start in range(0, len(ids), 500):
            chunk = tuple(ids[start : start + 500])
            marks = ",".join(["%s"] * len(chunk))
            for pk, body in self.db.query(
                f"SELECT id, body FROM comments_comment WHERE id IN ({marks})", chunk
            ):
                found[int(pk)] = body
        return found

    def tasks(self, task_path: str) -> list[tuple[str, Any, str]]:
        """(status, args_kwargs, worker_ids) of each queued task of this function."""
        rows = self.db.query(
            "SELECT status, args_kwargs, worker_ids FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = %s",
            (task_path,),
        )
        load = lambda v: json.loads(v) if isinstance(v, str) else v  # noqa: E731
        return [(status, load(args), load(ids)) for status, args, ids in rows]

    def close(self) -> None:
        """Throw the site away: its servers are killed (a clean stop is not what is being
        tested here, and takes seconds), then its database is dropped."""
        for server in self.servers:
            if any(not gone(pid) for pid in process_tree(server.process.pid)):
                server.kill9()
        self.db.drop()


@dataclass
class Template:
    """A migrated blog (the SETUP above) that sites are copied from."""

    data_dir: Path
    info: dict[str, Any]
    db: Database
    copies: int = 0

    @classmethod
    def build(cls, data_dir: Path) -> Template:
        env = {**clean_environ(), "PRESSBOX_DATA_DIR": str(data_dir)}
        env["PRESSBOX_CACHE_URL"] = "dummy://"  # nothing cached that the copies could trust
        db: Database = SqliteDatabase(data_dir / "pressbox.sqlite3")
        if ON_POSTGRES:
            name = f"{postgres_params(DATABASE_URL)['dbname']}_ops{os.getpid()}_tpl"
            db = PostgresDatabase.create(DATABASE_URL, name)
            env["PRESSBOX_DATABASE_URL"] = db.url
        static = subprocess.Popen(  # meanwhile: it needs no database
            [PRESSBOX, "collectstatic", "--noinput", "-v0"], env=env, stderr=subprocess.PIPE
        )
        pressbox(env, "migrate", "--noinput", "-v0")
        info = json.loads(pressbox(env, "shell", "--no-imports", "-c", SETUP).strip())
        info["minted_at"] = time.time()
        errors = static.communicate(timeout=180)[1]
        assert static.returncode == 0, errors
        if isinstance(db, SqliteDatabase):
            with contextlib.closing(sqlite3.connect(db.path)) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return cls(data_dir, info, db)

    def site(self, data_dir: Path, *, db: Database | None = None, cache_url: str = "") -> Site:
        """A copy: the data dir (secret key, static files, SQLite file) and the database."""
        shutil.copytree(self.data_dir, data_dir)
        env = {**clean_environ(), "PRESSBOX_DATA_DIR": str(data_dir)}
        if db is None:
            db = SqliteDatabase(data_dir / "pressbox.sqlite3")
            if isinstance(self.db, PostgresDatabase):
                self.copies += 1
                name = self.db.name.removesuffix("tpl") + str(self.copies)
                db = PostgresDatabase.create(DATABASE_URL, name, template=self.db.name)
        if db.url:
            env["PRESSBOX_DATABASE_URL"] = db.url
        if cache_url:
            env["PRESSBOX_CACHE_URL"] = cache_url
        return Site(data_dir, env, db, dict(self.info))


def postgres_bin(name: str) -> str:
    """A PostgreSQL server program (initdb, pg_ctl…): Debian keeps them off the PATH."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: p.parts[-3])
    path = str(found[-1]) if found else shutil.which(name)
    assert path, f"PostgreSQL's {name} is not installed"
    return path


class ThrowawayPostgres:
    """A PostgreSQL cluster of our own, on a free port, to stop and start at will; the
    shared server that other tests and people use is never touched."""

    def __init__(self, root: Path) -> None:
        self.root, self.port = root, free_port()
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            import pwd

            owner = pwd.getpwnam("postgres")
            os.chown(root, owner.pw_uid, owner.pw_gid)
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
        self.run("initdb", "-D", str(root / "data"), "-U", "postgres", "--auth=trust",
                 "-E", "UTF8", "--no-sync")  # fmt: skip

    def run(self, program: str, *args: str) -> None:
        result = subprocess.run(
            [*self.as_postgres, postgres_bin(program), *args],
            capture_output=True, text=True, timeout=120, cwd=self.root,
        )  # fmt: skip
        assert result.returncode == 0, f"{program} failed:\n{result.stdout}\n{result.stderr}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "-D", str(self.root / "data"), "-o", options,
                 "-l", str(self.root / "log"), "-w", "-t", "60", "start")  # fmt: skip

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def load(self, dbname: str, source: PostgresDatabase) -> PostgresDatabase:
        """A new database here holding a copy of `source` (pg_dump | psql)."""
        with postgres_admin(self.url("postgres")) as admin:
            admin.execute(f'CREATE DATABASE "{dbname}"')
        params = postgres_params(source.url)
        dump = subprocess.run(
            [postgres_bin("pg_dump"), "--no-owner", "--no-privileges", "-h", params["host"],
             "-p", str(params["port"]), "-U", params["user"], params["dbname"]],
            capture_output=True, timeout=120, check=True,
            env={**os.environ, "PGPASSWORD": params["password"] or ""},
        )  # fmt: skip
        subprocess.run(
            [postgres_bin("psql"), "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
             "-p", str(self.port), "-U", "postgres", dbname],
            input=dump.stdout, capture_output=True, timeout=120, check=True,
        )  # fmt: skip
        return PostgresDatabase(self.url(dbname))


class ThrowawayRedis:
    """redis-server on a free port, no persistence: the tests may flush it at will."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed (apt-get install redis-server)"
        self.port = free_port()
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.used = 0
        import redis

        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis(port=self.port).ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.1)

    def fresh_url(self) -> str:
        """A Redis database number of its own (flushed) for the next site."""
        import redis

        number = self.used % 16
        self.used += 1
        redis.Redis(port=self.port, db=number).flushdb()
        return f"redis://127.0.0.1:{self.port}/{number}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
