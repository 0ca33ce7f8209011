"""media_delete(): refused while used; otherwise the original and every variant go."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from pressbox.media.models import Media
from pressbox.media.services import MediaInUse, media_delete, media_upload
from pressbox.media.tests.helpers import image_bytes, person, upload
from pressbox.posts.factories import PageFactory, PostFactory


def test_deleting_removes_the_original_and_every_variant_file(transactional_db, settings):
    owner = person("author")
    media = media_upload(file=upload(image_bytes(size=(1000, 600))), alt_text="Rack", by=owner)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    media.refresh_from_db()
    files = [
        Path(settings.MEDIA_ROOT) / n
        for n in [media.file.name, *(v["name"] for v in media.variants)]
    ]
    assert len(files) == 8 and all(f.exists() for f in files)

    media_delete(media=media, by=owner)

    assert not Media.objects.exists()
    assert [f for f in files if f.exists()] == []


def test_image_used_in_posts_and_a_page_cannot_be_deleted(db, settings):
    editor = person("editor")
    media = media_upload(file=upload(image_bytes()), alt_text="Rack", by=editor)
    PostFactory(title="Leg day", body=f"![Rack]({media.url})")
    PostFactory(title="Rest day", body=f"![Rack]({media.url})")
    PageFactory(title="Gym", body=f"![Rack]({media.url})")

    with pytest.raises(MediaInUse) as caught:
        media_delete(media=media, by=editor)

    assert caught.value.messages == [
        "This image is used in 2 posts and 1 page: “Rest day”, “Leg day”, “Gym”."
    ]
    assert Media.objects.filter(pk=media.pk).exists()
    assert (Path(settings.MEDIA_ROOT) / media.file.name).exists()


def test_someone_elses_image_cannot_be_deleted_by_an_author(db, settings):
    media = media_upload(file=upload(image_bytes()), alt_text="Rack", by=person("author"))
    with pytest.raises(PermissionDenied):
        media_delete(media=media, by=person("author"))
    assert Media.objects.filter(pk=media.pk).exists()
