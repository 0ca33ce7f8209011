"""An item's content converted with what this import knows: its images and its links.

`content.convert` does the dressing; this gives it the export's galleries (the
attachments, imported or not), its reusable blocks, and the URL rewriting: an
uploaded file's address becomes its imported copy's, and a link to a page of the
old site becomes the same path here (root-relative in attributes, so it works on
any host; absolute in visible text), where a redirect takes the reader on if the
address changed.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings

from pressbox.importers.wordpress.catalog import Catalog
from pressbox.importers.wordpress.content import GalleryImage, convert
from pressbox.importers.wordpress.links import SiteURL, rewrite_urls
from pressbox.importers.wordpress.parse import Item
from pressbox.importers.wordpress.references import Uploads

# Post meta that a Pressbox export (`export_wxr`) gives its posts and pages: their
# content is already the finished HTML, taken as it is (only its URLs change), so
# that export → import gives back the same HTML.
FINISHED_HTML = ("_pressbox_format", "html")


class Conversion:
    def __init__(self, catalog: Catalog, uploads: Uploads, site: SiteURL | None) -> None:
        self.catalog, self.uploads, self.site = catalog, uploads, site

    def convert(self, item: Item) -> str:
        if item.meta_value(FINISHED_HTML[0]) == FINISHED_HTML[1]:
            return rewrite_urls(item.content, self.new_url).strip()
        return convert(
            item.content,
            post_id=item.post_id,
            gallery=self.gallery,
            reusable=self.catalog.reusable_blocks.get,
            rewrite=lambda markup: rewrite_urls(markup, self.new_url),
        )

    def gallery(self, ids: Sequence[str], post_id: str) -> list[GalleryImage]:
        """A [gallery]'s images: those it names, else the post's own attachments."""
        if ids:
            found = [self.catalog.attachments[i] for i in ids if i in self.catalog.attachments]
        else:
            found = self.catalog.attachments_of(post_id)
        images = []
        for attachment in found:
            media = self.uploads.by_id.get(attachment.id)
            src = media.url if media is not None else attachment.url
            alt = attachment.alt or attachment.title
            images.append(GalleryImage(attachment.id, src, src, alt, attachment.caption))
        return images

    def new_url(self, url: str, in_text: bool) -> str | None:
        """What `url` becomes here, or None to leave it as it is."""
        is_upload, media = self.uploads.media_for_url(url)
        if media is not None:
            return settings.SITE_URL + media.url if in_text else media.url
        if is_upload or self.site is None:
            return None  # a file not imported: the old address still serves it
        path = self.site.local_path(url, relative_ok=not in_text)
        if path is None or path == url:
            return None
        return settings.SITE_URL + path if in_text else path
