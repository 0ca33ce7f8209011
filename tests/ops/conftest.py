"""Fixtures for the operations tests: blogs served by real `pressbox serve` processes.

See tests/ops/ops.py. On the PostgreSQL pass each site has a database of its own on
the suite's server and a Redis database on a throwaway redis-server; on the SQLite
pass, a SQLite file and the file cache in its data dir.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.ops.ops import ON_POSTGRES, Site, Template, ThrowawayRedis


@pytest.fixture(scope="session")
def redis_server() -> Iterator[ThrowawayRedis | None]:
    if not ON_POSTGRES:
        yield None
        return
    server = ThrowawayRedis()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def blog_template(tmp_path_factory) -> Iterator[Template]:
    template = Template.build(tmp_path_factory.mktemp("ops-template") / "data")
    yield template
    template.db.drop()


def _site_factory(template, redis_server, tmp_path_factory):
    made: list[Site] = []

    def make(**kwargs) -> Site:
        data_dir = tmp_path_factory.mktemp("ops-site") / "data"
        if redis_server is not None:
            kwargs.setdefault("cache_url", redis_server.fresh_url())
        site = template.site(data_dir, **kwargs)
        made.append(site)
        return site

    return make, made


@pytest.fixture
def make_site(blog_template, redis_server, tmp_path_factory) -> Iterator[Callable[..., Site]]:
    """Sites copied from the template; every process they started is stopped after."""
    make, made = _site_factory(blog_template, redis_server, tmp_path_factory)
    yield make
    for site in made:
        site.close()


@pytest.fixture
def site(make_site) -> Site:
    return make_site()


@pytest.fixture(scope="module")
def module_site(blog_template, redis_server, tmp_path_factory) -> Iterator[Site]:
    """One site shared by a module's tests (servers started once)."""
    make, made = _site_factory(blog_template, redis_server, tmp_path_factory)
    yield make()
    for site in made:
        site.close()
