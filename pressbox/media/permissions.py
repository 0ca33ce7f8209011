"""Who may change or delete one image (see pressbox.accounts.roles).

Anyone with a role uploads; whoever uploaded an image edits its text and deletes it;
editors and administrators (who may edit other people's posts) do so for any image.
"""

from __future__ import annotations

from pressbox.accounts.models import User
from pressbox.media.models import Media


def can_change_media(user: User, media: Media) -> bool:
    if not user.is_active:
        return False
    if user.has_perm("posts.edit_others_post"):
        return True
    return media.uploaded_by_id is not None and media.uploaded_by_id == user.pk
