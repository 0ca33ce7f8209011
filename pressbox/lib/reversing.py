"""`reverse()` with its answers remembered, for the addresses a page links by the dozen.

A post page links its own address, related and neighbouring posts, each author, each
category and tag: some 30 `reverse()` calls at ~25 µs each, a tenth of an uncached
render (issue 7). The theme's `{% url %}` tag uses it too (pressbox_tags.url). The
answer depends only on the URLconf, the script prefix (a static export under a base
path sets one), the current app and the arguments, which are all in the key.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse


def reverse_cached(viewname: str, *args: Any, current_app: str | None = None, **kwargs: Any) -> str:
    """`reverse(viewname, args=args, kwargs=kwargs)`, remembered per process; arguments
    that cannot be remembered (a list, say) are reversed afresh."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    key = (get_script_prefix(), urlconf, viewname, args, tuple(kwargs.items()), current_app)
    try:
        return _reverse(*key)
    except TypeError:  # unhashable
        return reverse(viewname, urlconf=urlconf, args=args, kwargs=kwargs, current_app=current_app)


@lru_cache(maxsize=16384)
def _reverse(
    prefix: str,
    urlconf: Any,
    viewname: str,
    args: tuple[Any, ...],
    items: tuple[Any, ...],
    current_app: str | None,
) -> str:
    return reverse(
        viewname,
        urlconf=urlconf,
        args=args or None,
        kwargs=dict(items) or None,
        current_app=current_app,
    )


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":  # tests that swap URLconfs
        _reverse.cache_clear()
