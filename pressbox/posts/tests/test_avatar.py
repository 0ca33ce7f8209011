"""Identicons at /avatar/<key>.svg: drawn from the key alone, cacheable for a year."""

from pressbox.lib.avatars import avatar_key, identicon_svg


def test_avatar_answers_svg_with_a_long_cache_lifetime(client, db):
    key = avatar_key("ann@example.net")
    response = client.get(f"/avatar/{key}.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "max-age=31536000" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert response.content.decode() == identicon_svg(key)


def test_avatar_is_the_same_every_time_and_differs_by_key(client, db):
    first = client.get("/avatar/0123456789abcdef0123456789abcdef.svg").content
    again = client.get("/avatar/0123456789abcdef0123456789abcdef.svg").content
    other = client.get("/avatar/fedcba9876543210fedcba9876543210.svg").content
    assert first == again != other


def test_avatar_needs_no_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get("/avatar/0123456789abcdef0123456789abcdef.svg")


def test_bad_avatar_key_is_404(client, db):
    assert client.get("/avatar/not-a-key.svg").status_code == 404
    assert client.get("/avatar/0123456789ABCDEF0123456789ABCDEF.svg").status_code == 404
    assert client.get("/avatar/0123456789abcdef.svg").status_code == 404


def test_avatar_refuses_post(client, db):
    assert client.post("/avatar/0123456789abcdef0123456789abcdef.svg").status_code == 405
