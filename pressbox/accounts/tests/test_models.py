"""User and AuthorProfile: what readers see of an author."""

import hashlib
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pressbox.accounts.factories import AuthorProfileFactory, UserFactory
from pressbox.accounts.models import AuthorProfile
from pressbox.lib.avatars import avatar_key


def png_upload(name="me.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_avatar_url_is_an_identicon_when_nothing_is_uploaded(db):
    profile = AuthorProfileFactory(user__email="umer@example.com")
    assert profile.avatar_url == f"/avatar/{avatar_key('umer@example.com')}.svg"


def test_avatar_url_uses_the_uploaded_image_when_present(db, settings):
    profile = AuthorProfileFactory()
    profile.avatar = png_upload()
    profile.save()
    stored = AuthorProfile.objects.get(pk=profile.pk)
    assert stored.avatar_url == "/media/avatars/me.png"
    assert (settings.MEDIA_ROOT / "avatars" / "me.png").exists()


def test_avatar_url_reveals_neither_the_email_nor_its_md5(db):
    profile = AuthorProfileFactory(user__email="umer@example.com")
    assert "umer" not in profile.avatar_url
    assert hashlib.md5(b"umer@example.com").hexdigest() not in profile.avatar_url


def test_user_without_an_email_still_gets_a_stable_identicon(db):
    profile = AuthorProfileFactory(user__username="noemail", user__email="")
    assert profile.avatar_url == f"/avatar/{avatar_key('noemail')}.svg"


def test_bio_markdown_is_rendered_and_sanitised_on_save(db):
    profile = AuthorProfileFactory(bio="I *coach*. <script>alert(1)</script>")
    stored = AuthorProfile.objects.get(pk=profile.pk)
    assert stored.bio_html.startswith("<p>I <em>coach</em>.")
    assert "script" not in stored.bio_html


def test_display_name_prefers_the_profile_then_full_name_then_username(db):
    assert AuthorProfileFactory(display_name="Coach U").user.display_name == "Coach U"
    assert UserFactory(first_name="Sam", last_name="Lee").display_name == "Sam Lee"
    assert UserFactory(username="solo", first_name="", last_name="").display_name == "solo"
    blank = AuthorProfileFactory(display_name="", user__first_name="Ann", user__last_name="B")
    assert (blank.name, blank.user.display_name) == ("Ann B", "Ann B")


def test_profile_url_is_the_author_archive(db):
    profile = AuthorProfileFactory(user__username="umer")
    assert profile.get_absolute_url() == "/author/umer/"
    assert str(profile) == profile.display_name
