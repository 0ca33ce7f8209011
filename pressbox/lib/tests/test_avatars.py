"""pressbox.lib.avatars: identicons drawn here from a salted hash of the email."""

import hashlib
import re

from pressbox.lib.avatars import avatar_key, avatar_url, identicon_svg


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


def test_avatar_url_is_local_by_default():
    key = avatar_key("ann@example.net")
    assert avatar_url("ann@example.net") == f"/avatar/{key}.svg"
    assert avatar_url("whatever", key="f" * 32) == f"/avatar/{'f' * 32}.svg"


def test_avatar_url_for_gravatar_uses_the_md5_of_the_trimmed_lower_case_address():
    md5 = hashlib.md5(b"ann@example.net").hexdigest()
    assert avatar_url(" Ann@Example.net", service="gravatar") == (
        f"https://www.gravatar.com/avatar/{md5}?d=identicon&s=96"
    )


def test_avatar_url_for_libravatar_uses_the_sha256_of_the_address():
    sha = hashlib.sha256(b"ann@example.net").hexdigest()
    assert avatar_url("ann@example.net", service="libravatar") == (
        f"https://seccdn.libravatar.org/avatar/{sha}?d=identicon&s=96"
    )
