"""Background work of the media library, run by `pressbox db_worker` (or `pressbox serve`)."""

from __future__ import annotations

from django_tasks import task

from pressbox.media.models import Media


@task()
def make_variants(media_id: int) -> None:
    """Resized copies of a new upload, then srcset in the posts that show it."""
    from pressbox.media.services import media_make_variants

    media = Media.objects.filter(pk=media_id).first()
    if media is None:  # deleted before the worker came to it
        return
    media_make_variants(media=media)
