"""The media library in a browser: upload with the file picker, and drop into a textarea."""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import expect

from pressbox.accounts.roles import Role
from pressbox.media.models import Media
from pressbox.media.services import media_upload
from pressbox.media.tests.helpers import image_bytes, person, upload

pytestmark = pytest.mark.browser
PASSWORD = "squat-rack-42-deep"


@pytest.fixture
def writer(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = person(Role.AUTHOR, username="maya")
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(page, live_server):
    page.goto(f"{live_server.url}/dashboard/login/")
    page.get_by_label("Username").fill("maya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Dashboard")).to_be_visible()


def test_upload_through_the_file_picker_and_find_it_in_the_library(
    page, live_server, writer, artifacts
):
    log_in(page, live_server)
    page.get_by_role("link", name="Media").click()
    page.get_by_role("link", name="Upload an image").click()

    page.get_by_label("Image").set_input_files(
        {
            "name": "squat-rack.jpg",
            "mimeType": "image/jpeg",
            "buffer": image_bytes(size=(1600, 1000)),
        }
    )
    page.get_by_label("Alt text").fill("A loaded barbell on a squat rack")
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_role("status")).to_contain_text("Uploaded.")
    expect(page.get_by_role("heading", level=1)).to_have_text("squat-rack")
    assert Media.objects.get().uploaded_by == writer

    for n, color in enumerate([(30, 90, 160), (60, 140, 80), (220, 180, 40), (120, 60, 140)]):
        shot = upload(image_bytes(size=(1200, 900 - n * 150), color=color), f"gym-{n}.jpg")
        media_upload(file=shot, alt_text=f"Gym photo {n + 1}: rowing, rack, bench", by=writer)
    page.get_by_role("link", name="← Media").click()
    tile = page.get_by_role("link", name="A loaded barbell on a squat rack")
    expect(tile).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Gym photo"))).to_have_count(4)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.screenshot(path=artifacts / "dashboard-media-1280.png", full_page=True)


def test_bad_file_shows_one_message_and_keeps_the_alt_text(page, live_server, writer):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/dashboard/media/upload/")
    page.get_by_label("Image").set_input_files(
        {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"squat 5x5\n" * 50}
    )
    page.get_by_label("Alt text").fill("Leg day notes")
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "This file is not an image (JPEG, PNG, GIF or WebP)."
    )
    expect(page.get_by_label("Alt text")).to_have_value("Leg day notes")
    assert not Media.objects.exists()


DROP = """([textarea, b64]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const data = new DataTransfer();
  data.items.add(new File([bytes], "chalk.png", {type: "image/png"}));
  for (const type of ["dragenter", "dragover", "drop"]) {
    const init = {bubbles: true, cancelable: true, dataTransfer: data};
    textarea.dispatchEvent(new DragEvent(type, init));
  }
}"""


def test_image_dropped_on_a_markdown_textarea_is_uploaded_and_inserted(page, live_server, writer):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/dashboard/media/")
    page.evaluate(
        """url => {
          const area = document.createElement("textarea");
          area.setAttribute("data-media-drop", "");
          area.dataset.uploadUrl = url;
          area.setAttribute("aria-label", "Body");
          area.value = "Leg day.";
          document.querySelector("main").append(area);
          window.PressboxMedia.attachDrop(area);
        }""",
        "/dashboard/media/upload/json/",
    )
    textarea = page.get_by_label("Body")
    textarea.evaluate("area => area.setSelectionRange(area.value.length, area.value.length)")
    png = base64.b64encode(image_bytes("PNG", size=(640, 480))).decode()
    page.evaluate(DROP, [textarea.element_handle(), png])

    dialog = page.get_by_role("dialog", name="Describe the image")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Upload").click()  # empty alt text is refused
    expect(dialog.get_by_text("Describe the image for people who cannot see it.")).to_be_visible()
    dialog.get_by_label("Alt text").fill("Chalked hands")
    dialog.get_by_role("button", name="Upload").click()

    expect(page.get_by_role("status").last).to_have_text(
        "chalk.png uploaded and added to the text."
    )
    media = Media.objects.get()
    expect(textarea).to_have_value(
        re.compile(
            r"^Leg day\.\n\n!\[Chalked hands\]\(/media/" + re.escape(media.file.name) + r"\)\n$"
        )
    )


def test_image_dropped_into_the_post_editor_is_uploaded_and_inserted(page, live_server, writer):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/dashboard/posts/new/")
    body = page.get_by_label("Body", exact=True)
    body.fill("Leg day.")
    body.evaluate("area => area.setSelectionRange(area.value.length, area.value.length)")
    png = base64.b64encode(image_bytes("PNG", size=(800, 600))).decode()
    page.evaluate(DROP, [body.element_handle(), png])

    dialog = page.get_by_role("dialog", name="Describe the image")
    dialog.get_by_label("Alt text").fill("Chalked hands on a barbell")
    dialog.get_by_role("button", name="Upload").click()

    expect(page.get_by_text("chalk.png uploaded and added to the text.")).to_be_visible()
    media = Media.objects.get()
    assert media.uploaded_by == writer
    expect(body).to_have_value(
        f"Leg day.\n\n![Chalked hands on a barbell](/media/{media.file.name})\n"
    )
    expect(body).to_be_focused()
