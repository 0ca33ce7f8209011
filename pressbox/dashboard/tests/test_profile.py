"""/dashboard/profile/: name, Markdown bio, website, picture and comment emails."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from pressbox.accounts.models import AuthorProfile
from pressbox.accounts.roles import Role
from pressbox.accounts.tests.people import person
from pressbox.posts.factories import PostFactory

TYPED = {
    "display_name": "Maya Strong",
    "bio": "Coach. I *love* deadlifts -- and [rest days](https://rest.example/).",
    "website": "https://maya.example/",
    "notify_comments": "on",
}


def picture(fmt="PNG", size=(800, 600), name="me.png", **save):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(out, format=fmt, **save)
    return SimpleUploadedFile(name, out.getvalue())


def png_claiming(width, height):
    """A valid 1x1 PNG whose header claims `width` x `height` (a decompression bomb)."""
    data = picture(size=(1, 1)).read()
    ihdr = struct.pack(">II", width, height) + data[24:29]
    chunk = b"IHDR" + ihdr
    return data[:12] + chunk + struct.pack(">I", zlib.crc32(chunk)) + data[33:]


@pytest.fixture
def maya_client(client, db):
    client.force_login(person(Role.CONTRIBUTOR, username="maya"))
    return client


def profile():
    return AuthorProfile.objects.get(user__username="maya")


def test_saved_profile_shows_in_the_author_box_at_once(maya_client):
    post = PostFactory(authors=[profile().user])
    assert "Maya Strong" not in maya_client.get(post.get_absolute_url()).text
    response = maya_client.post("/dashboard/profile/", TYPED)
    assert (response.status_code, response["Location"]) == (302, "/dashboard/profile/")
    assert "<em>love</em> deadlifts – and" in profile().bio_html
    page = maya_client.get(post.get_absolute_url()).text
    assert "Maya Strong" in page
    assert "<em>love</em> deadlifts" in page
    assert 'href="https://maya.example/"' in page
    assert "<em>love</em> deadlifts" in maya_client.get("/author/maya/").text


def test_preview_renders_the_typed_bio_without_saving(maya_client):
    before = profile().bio
    response = maya_client.post("/dashboard/profile/", {**TYPED, "preview": "1"})
    assert response.status_code == 200
    assert "Preview (not saved yet)" in response.text
    assert "<p>Coach. I <em>love</em> deadlifts – and" in response.text
    assert 'value="Maya Strong"' in response.text
    assert profile().bio == before


def test_a_picture_is_stored_small_and_shown(maya_client):
    upload = picture("JPEG", size=(2000, 1500), name="holiday.jpg")
    response = maya_client.post("/dashboard/profile/", {**TYPED, "avatar": upload})
    assert response.status_code == 302
    avatar = profile().avatar
    assert avatar.name.startswith("avatars/maya") and avatar.name.endswith(".jpg")
    with Image.open(avatar.path) as stored:
        assert (stored.format, stored.size) == ("JPEG", (512, 384))
    assert avatar.url in maya_client.get("/author/maya/").text


def test_a_picture_loses_its_location_metadata(maya_client):
    exif = Image.Exif()
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude
    upload = picture("JPEG", name="gps.jpg", exif=exif.tobytes())
    maya_client.post("/dashboard/profile/", {**TYPED, "avatar": upload})
    with Image.open(profile().avatar.path) as stored:
        assert 0x8825 not in stored.getexif()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notes.png", b"just text"), "This file is not a picture."),
        (picture("BMP", name="me.bmp"), "Pictures must be JPEG, PNG, GIF or WebP images"),
        (
            SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024)),
            "This picture is larger than 5 MB.",
        ),
        (SimpleUploadedFile("bomb.png", png_claiming(30000, 30000)), "too many pixels"),
        (SimpleUploadedFile("wide.png", png_claiming(8000, 6000)), "too many pixels"),
        (
            SimpleUploadedFile("cut.png", picture(size=(300, 300)).read()[:-200]),
            "This picture is damaged or incomplete.",
        ),
    ],
)
def test_a_bad_picture_gets_one_clear_message_and_keeps_the_typing(maya_client, upload, message):
    response = maya_client.post("/dashboard/profile/", {**TYPED, "avatar": upload})
    assert response.status_code == 200
    error = response.text.split('id="id_avatar_error">')[1].split("</p>")[0]
    assert message in error
    assert 'aria-describedby="id_avatar_helptext id_avatar_error"' in response.text
    assert 'value="Maya Strong"' in response.text
    assert "Coach. I *love* deadlifts" in response.text
    assert not profile().avatar
    assert profile().display_name != "Maya Strong"


def test_the_picture_can_be_removed_and_its_file_goes(
    maya_client, django_capture_on_commit_callbacks
):
    maya_client.post("/dashboard/profile/", {**TYPED, "avatar": picture()})
    path = Path(profile().avatar.path)
    with django_capture_on_commit_callbacks(execute=True):
        maya_client.post("/dashboard/profile/", {**TYPED, "avatar-clear": "on"})
    assert not profile().avatar
    assert "/avatar/" in maya_client.get("/author/maya/").text
    assert not path.exists()


def test_comment_emails_can_be_turned_off(maya_client):
    data = {key: value for key, value in TYPED.items() if key != "notify_comments"}
    maya_client.post("/dashboard/profile/", data)
    assert profile().notify_comments is False


def test_a_bad_website_is_refused_beside_the_field(maya_client):
    response = maya_client.post("/dashboard/profile/", {**TYPED, "website": "not a url"})
    assert 'aria-describedby="id_website_helptext id_website_error"' in response.text
    assert "Enter a valid URL." in response.text


@pytest.mark.parametrize("role", list(Role))
def test_every_role_edits_their_own_profile(client, db, role):
    me = person(role)
    client.force_login(me)
    assert client.post("/dashboard/profile/", TYPED).status_code == 302
    assert AuthorProfile.objects.get(user=me).display_name == "Maya Strong"


def test_anonymous_visitor_is_sent_to_log_in(client, db):
    assert (
        client.get("/dashboard/profile/")["Location"]
        == "/dashboard/login/?next=/dashboard/profile/"
    )


def test_saving_refuses_a_post_without_the_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person(Role.AUTHOR, username="maya"))
    assert client.post("/dashboard/profile/", TYPED).status_code == 403
    assert profile().display_name != "Maya Strong"
