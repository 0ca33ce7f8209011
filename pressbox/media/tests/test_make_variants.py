"""make_variants, run by the real task worker: resized files, then srcset in posts."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from PIL import Image

from pressbox.media.models import Media
from pressbox.media.services import media_upload
from pressbox.media.tests.helpers import animated_gif, image_bytes, upload
from pressbox.posts.factories import PageFactory, PostFactory

ALT = "A loaded barbell on a squat rack"


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def on_disk(settings, name) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def test_worker_makes_each_smaller_width_in_webp_and_the_original_format(
    transactional_db, settings
):
    media = media_upload(file=upload(image_bytes("JPEG", size=(1400, 700))), alt_text=ALT, by=None)
    run_worker()

    media.refresh_from_db()
    made = {(v["format"], v["width"], v["height"]) for v in media.variants}
    widths = (320, 640, 960, 1280)
    assert made == {
        *((fmt, w, w // 2) for fmt in ("jpeg", "webp") for w in widths),
        ("webp", 1400, 700),  # WebP browsers never need the heavier original
    }
    assert media.variants_made_at is not None
    stem = media.file.name.rsplit(".", 1)[0]
    for variant in media.variants:
        extension = {"jpeg": "jpg", "webp": "webp"}[variant["format"]]
        assert variant["name"] == f"{stem}-{variant['width']}w.{extension}"
        with Image.open(on_disk(settings, variant["name"])) as image:
            assert image.size == (variant["width"], variant["height"])
            assert image.format == variant["format"].upper()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_small_png_is_never_upscaled_but_gets_a_webp_of_its_own_size(transactional_db):
    media = media_upload(
        file=upload(image_bytes("PNG", size=(500, 400)), "chart.png"), alt_text=ALT, by=None
    )
    run_worker()

    media.refresh_from_db()
    assert sorted((v["format"], v["width"]) for v in media.variants) == [
        ("png", 320),
        ("webp", 320),
        ("webp", 500),
    ]


def test_animated_gif_keeps_moving_so_it_gets_no_variants(transactional_db):
    media = media_upload(file=upload(animated_gif(), "lift.gif"), alt_text=ALT, by=None)
    run_worker()

    media.refresh_from_db()
    assert media.variants == []
    assert media.variants_made_at is not None


def test_posts_and_pages_showing_the_image_gain_srcset_once_variants_exist(transactional_db):
    media = media_upload(file=upload(image_bytes("JPEG", size=(1000, 500))), alt_text=ALT, by=None)
    post = PostFactory(body=f"Before.\n\n![{ALT}]({media.url})\n")
    page = PageFactory(body=f"![Rack]({media.url})")
    other = PostFactory(body="No images here.")
    assert "srcset" not in post.body_html

    run_worker()

    post.refresh_from_db()
    page.refresh_from_db()
    stem = media.file.name.rsplit(".", 1)[0]
    assert f'srcset="/media/{stem}-320w.webp 320w, /media/{stem}-640w.webp 640w' in post.body_html
    assert f"/media/{stem}-960w.jpg 960w, /media/{media.file.name} 1000w" in post.body_html
    assert "srcset" in page.body_html
    assert other.body_html == PostFactory._meta.model.objects.get(pk=other.pk).body_html


def test_a_body_edited_while_the_worker_ran_is_not_overwritten(transactional_db):
    from pressbox.media import services

    media = media_upload(file=upload(image_bytes("JPEG", size=(800, 400))), alt_text=ALT, by=None)
    post = PostFactory(body=f"![{ALT}]({media.url})")
    stale = PostFactory._meta.model.objects.get(pk=post.pk)
    post.body = f"Edited meanwhile.\n\n![{ALT}]({media.url})"
    post.save()

    services._rerender(stale)

    post.refresh_from_db()
    assert post.body.startswith("Edited meanwhile.")
    assert "Edited meanwhile." in post.body_html


def test_image_deleted_before_the_worker_ran_is_skipped(transactional_db, settings):
    media = media_upload(file=upload(image_bytes()), alt_text=ALT, by=None)
    Media.objects.filter(pk=media.pk).delete()
    run_worker()

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert [p.name for p in Path(settings.MEDIA_ROOT).rglob("*-320w.*")] == []


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_still_gif_and_webp_get_variants_too(transactional_db, fmt):
    media = media_upload(
        file=upload(image_bytes(fmt, size=(700, 350)), f"still.{fmt.lower()}"),
        alt_text=ALT,
        by=None,
    )
    run_worker()

    media.refresh_from_db()
    formats = {v["format"] for v in media.variants}
    assert formats == ({"gif", "webp"} if fmt == "GIF" else {"webp"})
    assert {v["width"] for v in media.variants} >= {320, 640}
