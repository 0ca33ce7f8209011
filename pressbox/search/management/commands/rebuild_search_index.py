"""`pressbox rebuild_search_index`: write every published post's search text again.

Saves keep the index current on their own; this is for posts changed without `save()`
(bulk SQL, a restored database) or an index in doubt.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pressbox.lib.progress import ProgressBar
from pressbox.search.index import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from every published and scheduled post."

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild(progress=ProgressBar(self.stdout, "posts"))
        noun = "post" if count == 1 else "posts"
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} {noun} for search."))
