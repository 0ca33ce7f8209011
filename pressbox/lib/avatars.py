"""Avatars made on this server from a salted hash: no request leaves for Gravatar
unless the site's owner opts in.

`avatar_key(email)` is an HMAC of the address under the site's secret, so the key in an
avatar URL cannot be matched against a list of addresses the way a Gravatar MD5 can.
`identicon_svg(key)` draws a 5x5 mirrored pattern coloured from the same key.
`avatar_url(email, service=...)` is the one place that decides where an avatar comes
from: this server (the default), or Gravatar/Libravatar when
`SiteSettings.avatar_service` says so (they receive an unsalted hash of the address).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

GRID = 5
CELL = 16


def avatar_key(email: str) -> str:
    """Stable, unguessable key for an email address (32 hex digits)."""
    return _avatar_key(settings.SECRET_KEY, (email or "").strip().lower())


@lru_cache(maxsize=4096)
def _avatar_key(secret: str, normalised: str) -> str:
    # Remembered: a list page or a static export asks for the same authors' keys over
    # and over, and each is an HMAC.
    digest = salted_hmac("pressbox.avatar", normalised, secret=secret, algorithm="sha256")
    return digest.hexdigest()[:32]


def avatar_url(email: str, *, key: str = "", service: str = "local") -> str:
    """Where the avatar for `email` is served from.

    `service` is a `SiteSettings.AvatarService` value: "local" (an identicon drawn here
    from `key`, or from the email's salted key), "gravatar" or "libravatar".
    """
    normalised = (email or "").strip().lower().encode()
    if service == "gravatar":
        digest = hashlib.md5(normalised, usedforsecurity=False).hexdigest()
        return f"https://www.gravatar.com/avatar/{digest}?d=identicon&s=96"
    if service == "libravatar":
        digest = hashlib.sha256(normalised).hexdigest()
        return f"https://seccdn.libravatar.org/avatar/{digest}?d=identicon&s=96"
    return reverse("avatar", kwargs={"key": key or avatar_key(email)})


def identicon_svg(key: str) -> str:
    """A symmetric identicon for a 32-hex-digit key, as a standalone SVG document."""
    digits = [int(ch, 16) for ch in key.ljust(32, "0")[:32]]
    hue = (digits[0] * 16 + digits[1]) * 360 // 256
    fg = f"hsl({hue} 55% 45%)"
    bg = f"hsl({hue} 40% 92%)"
    cells = []
    half = (GRID + 1) // 2
    for row in range(GRID):
        for col in range(half):
            if digits[2 + row * half + col] % 2 == 0:
                continue
            for x in {col, GRID - 1 - col}:
                cells.append(
                    f'<rect x="{x * CELL + CELL // 2}" y="{row * CELL + CELL // 2}" '
                    f'width="{CELL}" height="{CELL}"/>'
                )
    size = GRID * CELL + CELL
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}" role="img">'
        f'<rect width="{size}" height="{size}" fill="{bg}"/>'
        f'<g fill="{fg}">{"".join(cells)}</g></svg>'
    )
