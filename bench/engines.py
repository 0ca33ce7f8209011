#!/usr/bin/env python
"""Template engines on the post page: Django's own against Jinja2 (Django's backend).

The seed-shaped post page (50 comments) of a bench site (bench/site.py) is rendered
from the same context by the theme's Django templates and by bench/jinja2/, a port of
the templates that page uses (the issue-7 measurement: no other page was ported, and
the port is not kept in step with the theme; the comment list is the theme's Python
renderer in both, pressbox/comments/templatetags/comment_tags.py). The script checks
that both give the
same bytes, then prints the CPU time of the template render alone and of the whole
uncached request (view, queries and middleware included) with each engine.

    .venv/bin/pip install jinja2    # not a Pressbox dependency
    .venv/bin/python bench/engines.py [--posts 1000] [--runs 200]
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
# bench/site.py, by its path: `import site` is the standard library's module.
_spec = importlib.util.spec_from_file_location("bench_site", ROOT / "bench" / "site.py")
assert _spec is not None and _spec.loader is not None
bench_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_site)

TOKEN = re.compile(rb'name="timestamp" value="[^"]*"')


def environment(**options: Any) -> Any:
    """The Jinja2 environment of the port: the theme's filters and tags as functions."""
    from django.template.defaultfilters import pluralize, urlencode
    from django.templatetags.static import static
    from django.urls import reverse
    from django.utils import dateformat, timezone
    from jinja2 import Environment, pass_context
    from markupsafe import Markup

    from pressbox.comments.templatetags.comment_tags import comment_threads
    from pressbox.posts.templatetags.seo_tags import absolute, jsonld, post_seo
    from pressbox.templatetags.pressbox_tags import isodate, texturize

    def date(value: Any, fmt: str) -> str:
        return "" if value is None else dateformat.format(timezone.localtime(value), fmt)

    env = Environment(**options)  # noqa: S701  (the backend passes autoescape=True)
    env.globals.update(
        url=lambda name, **kwargs: reverse(name, kwargs=kwargs or None),
        static=static,
        now=lambda fmt: dateformat.format(timezone.localtime(), fmt),
        post_seo=post_seo,
        # The theme builds the comment list in Python for both engines.
        comment_threads=pass_context(
            lambda context, threads: Markup(comment_threads(context, threads))  # noqa: S704
        ),
    )
    env.filters.update(
        texturize=texturize,
        isodate=isodate,
        date=date,
        pluralize=pluralize,
        urlencode=urlencode,
        jsonld=lambda data: Markup(jsonld(data)),  # noqa: S704  (already escaped)
        absolute=absolute,
    )
    return env


def cpu_ms(call: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and tenth percentile of the process CPU time of `call`, in ms."""
    for _ in range(10):
        call()
    times = []
    for _ in range(runs):
        began = time.process_time()
        call()
        times.append((time.process_time() - began) * 1000)
    times.sort()
    return statistics.median(times), times[len(times) // 10]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/pressbox-bench"))  # noqa: S108
    args = parser.parse_args()
    data = args.work_dir / f"site-{args.posts}-sqlite"
    env = bench_site.environment(data)
    env["PRESSBOX_PAGE_CACHE"] = "false"
    bench_site.configure(env)
    path = bench_site.build(posts=args.posts, comments=20, seed_comments=50, seed=11, rebuild=False)
    try:
        import jinja2
    except ImportError:
        sys.exit("Jinja2 is not installed: .venv/bin/pip install jinja2")
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.http import HttpResponse
    from django.template.backends.jinja2 import Jinja2
    from django.template.loader import get_template

    from pressbox.posts.context_processors import site
    from pressbox.posts.views import detail

    call_command("collectstatic", interactive=False, verbosity=0)
    engine = Jinja2(
        {
            "NAME": "jinja2",
            "DIRS": [ROOT / "bench" / "jinja2"],
            "APP_DIRS": False,
            "OPTIONS": {
                "environment": "__main__.environment",
                "keep_trailing_newline": True,
                "autoescape": True,
                "undefined": jinja2.ChainableUndefined,  # request.static_export, as Django
            },
        }
    )
    django_render = detail.render
    captured: dict[str, Any] = {}

    def jinja_render(request: Any, name: str, context: dict[str, Any], status: int = 200) -> Any:
        context = {**context, **site(request), "request": request}
        captured["context"] = context
        return HttpResponse(engine.get_template(name).render(context, request), status=status)

    app = WSGIHandler()

    def get() -> bytes:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": "http",
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        return b"".join(app(environ, lambda status, headers, exc_info=None: None))

    pages, requests, renders = {}, {}, {}
    for name, render in (("django", django_render), ("jinja2", jinja_render)):
        detail.render = render
        pages[name] = TOKEN.sub(b"", get())
        requests[name] = cpu_ms(get, args.runs)
    detail.render = django_render
    request = captured["context"]["request"]
    context = {k: v for k, v in captured["context"].items() if k != "request"}
    django_template = get_template("posts/post_detail.html")
    jinja_template = engine.get_template("posts/post_detail.html")
    renders["django"] = cpu_ms(lambda: django_template.render(context, request), args.runs)
    renders["jinja2"] = cpu_ms(lambda: jinja_template.render(context, request), args.runs)

    same = pages["django"] == pages["jinja2"]
    print(f"\n{path} ({args.posts} posts, 50 comments): {len(pages['django'])} bytes; ", end="")
    print("both engines give the same bytes" if same else "the outputs DIFFER")
    print(f"\n{'CPU ms (median / p10)':<26} {'Django':>15} {'Jinja2':>15} {'ratio':>7}")
    for label, figures in (("template render", renders), ("whole request", requests)):
        d, j = figures["django"], figures["jinja2"]
        print(f"{label:<26} {d[0]:7.2f} / {d[1]:5.2f} {j[0]:7.2f} / {j[1]:5.2f} {d[0] / j[0]:7.2f}")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
