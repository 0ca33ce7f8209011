"""Login throttling counters: per account and per address, expiring, on any cache."""

import pytest
import time_machine

from pressbox.accounts import throttle


@pytest.fixture(params=["locmem", "file"])
def any_cache(request, settings, tmp_path):
    if request.param == "file":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
    from django.core.cache import cache

    cache.clear()


def fail(times, username="maya", ip="203.0.113.9"):
    for _ in range(times):
        throttle.login_failed(username=username, ip=ip)


def test_five_failures_block_the_account_on_every_address(any_cache):
    fail(4)
    assert not throttle.login_blocked(username="maya", ip="203.0.113.9")
    fail(1)
    assert throttle.login_blocked(username="maya", ip="198.51.100.7")
    assert not throttle.login_blocked(username="tomas", ip="198.51.100.7")


def test_twenty_failures_block_the_address_for_every_account(any_cache):
    for n in range(20):
        fail(1, username=f"guess{n}")
    assert throttle.login_blocked(username="tomas", ip="203.0.113.9")
    assert not throttle.login_blocked(username="tomas", ip="198.51.100.7")


def test_the_block_ends_fifteen_minutes_after_the_last_failure(any_cache):
    with time_machine.travel("2025-03-01 09:00Z", tick=False) as traveller:
        fail(3)
        traveller.shift(10 * 60)
        fail(2)
        traveller.shift(14 * 60)  # 24 minutes after the first failure, 14 after the last
        assert throttle.login_blocked(username="maya", ip="")
        traveller.shift(61)
        assert not throttle.login_blocked(username="maya", ip="")


def test_clearing_forgets_the_account_but_not_the_address(any_cache):
    for n in range(20):
        fail(1, username="maya" if n < 5 else f"guess{n}")
    throttle.login_cleared(username="Maya")
    assert throttle.login_blocked(username="maya", ip="203.0.113.9")
    assert not throttle.login_blocked(username="maya", ip="198.51.100.7")


def test_no_address_counts_only_the_account(any_cache):
    for n in range(25):
        throttle.login_failed(username=f"guess{n}", ip="")
    assert not throttle.login_blocked(username="maya", ip="")
