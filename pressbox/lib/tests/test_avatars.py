"""pressbox.lib.avatars: identicons drawn here from a salted hash of the email."""

import hashlib
import re

from pressbox.lib.avatars import avatar_key, identicon_svg


def test_avatar_key_is_32_hex_digits_and_ignores_case_and_spaces():
    key = avatar_key("Reader@Example.net ")
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    assert key == avatar_key("reader@example.net")


def test_avatar_key_differs_by_email():
    assert avatar_key("ann@example.net") != avatar_key("bob@example.net")


def test_avatar_key_reveals_neither_the_email_nor_its_md5():
    email = "ann@example.net"
    key = avatar_key(email)
    assert "ann" not in key
    assert key not in hashlib.md5(email.encode()).hexdigest()
    assert hashlib.md5(email.encode()).hexdigest()[:32] != key


def test_avatar_key_depends_on_the_site_secret(settings):
    before = avatar_key("ann@example.net")
    settings.SECRET_KEY = "another-site-entirely"
    assert avatar_key("ann@example.net") != before


def test_identicon_is_deterministic():
    key = avatar_key("ann@example.net")
    assert identicon_svg(key) == identicon_svg(key)


def test_identicon_differs_by_email():
    first = identicon_svg(avatar_key("ann@example.net"))
    second = identicon_svg(avatar_key("bob@example.net"))
    assert first != second


def test_identicon_is_a_mirrored_svg_document():
    svg = identicon_svg("f" * 32)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert svg.endswith("</svg>")
    # All cells odd: every column of the 5x5 grid is filled.
    assert svg.count('width="16" height="16"') == 25
