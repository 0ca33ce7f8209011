"""Media workflows shared by the dashboard pages, the JSON upload and the task queue."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from pressbox.accounts.models import User
from pressbox.lib import pagecache
from pressbox.lib.markup import render_markdown
from pressbox.media import images
from pressbox.media.models import Media
from pressbox.media.permissions import can_change_media
from pressbox.media.tasks import make_variants
from pressbox.media.validation import ALT_REQUIRED, NO_FILE, ImageInfo, validate_image
from pressbox.posts.models import Publishable

logger = logging.getLogger(__name__)


DISK_FULL = (
    "The server’s disk is full, so this image could not be saved, and nothing of it was "
    "kept. Ask whoever runs the site to free some space, then upload it again."
)
WRITE_FAILED = (
    "The server could not save this image, and nothing of it was kept. Please try "
    "again; if it keeps failing, tell whoever runs the site."
)


class MediaInUse(ValidationError):
    """Deleting an image that a post or page still shows."""


def media_upload(*, file: File | None, alt_text: str, by: User | None, title: str = "") -> Media:
    """Check `file` by its content and keep it; its variants follow from the task queue.

    Raises ValidationError keyed by field ("file", "alt_text") with one message each.
    """
    alt_text = " ".join((alt_text or "").split())
    info = _checked(file, alt_text)
    assert file is not None  # _checked refused a missing file
    data = images.strip_metadata(file.read(), info.format)
    upload_name = PurePath(file.name or "image")
    media = Media(
        alt_text=alt_text[:500],
        title=(title.strip() or upload_name.stem)[:300],
        mime_type=info.mime_type,
        size=len(data),
        uploaded_by=by,
    )
    _store(media, _stored_name(upload_name, data, info), data)
    media.width, media.height = info.width, info.height  # as shown, after EXIF rotation
    try:
        with transaction.atomic():
            media.save()
            transaction.on_commit(lambda: make_variants.enqueue(media.pk))
    except BaseException:
        media.file.storage.delete(media.file.name)
        raise
    return media


def _store(media: Media, name: str, data: bytes) -> None:
    """Write the file; if the disk is full (or refuses otherwise), keep nothing of it.

    Django's FileSystemStorage leaves a truncated file behind when a write fails, so the
    name it writes to is worked out first (as it does) and removed unless complete.
    """
    storage, field = media.file.storage, media.file.field
    target = storage.get_available_name(
        field.generate_filename(media, name), max_length=field.max_length
    )
    try:
        media.file.save(name, ContentFile(data), save=False)
    except OSError as exc:
        with contextlib.suppress(OSError):
            if storage.exists(target) and storage.size(target) != len(data):
                storage.delete(target)
        logger.warning("An upload could not be written: %s.", errno.errorcode.get(exc.errno or 0))
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
        raise ValidationError({"file": [DISK_FULL if full else WRITE_FAILED]}) from None


def _checked(file: File | None, alt_text: str) -> ImageInfo:
    errors: dict[str, list[str]] = {}
    if not alt_text:
        errors["alt_text"] = [ALT_REQUIRED]
    if file is None or not file.size:
        errors["file"] = [NO_FILE]
    if errors:
        raise ValidationError(errors)
    assert file is not None
    try:
        return validate_image(file, size=file.size)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None


def _stored_name(upload_name: PurePath, data: bytes, info: ImageInfo) -> str:
    """squat-rack-1a2b3c4d.jpg: the writer's name made safe, a hash, the real extension."""
    base = slugify(upload_name.stem)[:50].strip("-") or "image"
    return f"{base}-{hashlib.sha256(data).hexdigest()[:8]}.{info.extension}"


def media_make_variants(*, media: Media) -> None:
    """Write the variants, record them, then re-render what shows the image (srcset)."""
    storage = media.file.storage
    old = {v["name"] for v in media.variants}
    made = images.write_variants(storage, media.file.name)
    updated = Media.objects.filter(pk=media.pk).update(
        variants=made, variants_made_at=timezone.now()
    )
    if not updated:  # deleted while we worked: leave no files behind
        _delete_files(storage, [v["name"] for v in made])
        return
    _delete_files(storage, list(old - {v["name"] for v in made}))
    media.variants = made
    for usage in media.usages():
        _rerender(usage)
    pagecache.bump()  # the re-render above writes with update(): no signal tells the cache


def _rerender(publishable: Publishable) -> None:
    """Store fresh body_html, unless a writer changed the body meanwhile.

    Only body_html is written, and only where the body is still the one rendered, so
    the worker never overwrites an edit or bumps `updated_at` (which would look like
    an edit conflict to whoever has the post open).
    """
    body = publishable.body
    type(publishable)._default_manager.filter(pk=publishable.pk, body=body).update(
        body_html=render_markdown(body)
    )


def media_delete(*, media: Media, by: User) -> None:
    """Delete the image and every file of it; refused while a post or page uses it."""
    if not can_change_media(by, media):
        raise PermissionDenied("Only whoever uploaded this image, or an editor, may delete it.")
    message = in_use_message(media)
    if message:
        raise MediaInUse(message, code="in_use")
    names = [media.file.name, *(v["name"] for v in media.variants)]
    storage = media.file.storage
    with transaction.atomic():
        media.delete()
        transaction.on_commit(lambda: _delete_files(storage, names))


def in_use_message(media: Media) -> str:
    """Which posts and pages show the image, as one sentence; "" when none does."""
    usages = media.usages()
    if not usages:
        return ""
    counts: dict[tuple[str, str], int] = {}
    for usage in usages:
        kind = (str(usage._meta.verbose_name), str(usage._meta.verbose_name_plural))
        counts[kind] = counts.get(kind, 0) + 1
    parts = [f"{n} {one if n == 1 else many}" for (one, many), n in counts.items()]
    titles = ", ".join(f"“{usage.title}”" for usage in usages)
    return f"This image is used in {' and '.join(parts)}: {titles}."


def _delete_files(storage: Storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete media file %s", name)
