"""Dashboard routes: posts section (names live in the dashboard namespace)."""

from django.urls import URLPattern, path

from pressbox.dashboard.views.posts import autosave, editor, listing, preview, revisions, tags

urlpatterns: list[URLPattern] = [
    path("", listing.post_list, name="post-list"),
    path("new/", editor.post_new, name="post-new"),
    path("<int:pk>/edit/", editor.post_edit, name="post-edit"),
    path("preview/", preview.post_preview, name="post-preview"),
    path("autosave/", autosave.post_autosave_new, name="post-autosave-new"),
    path("<int:pk>/autosave/", autosave.post_autosave_view, name="post-autosave"),
    path("tags/", tags.tag_suggestions, name="post-tags"),
    path("<int:pk>/revisions/", revisions.revision_list, name="post-revisions"),
    path(
        "<int:pk>/revisions/<int:revision_id>/restore/",
        revisions.revision_restore,
        name="post-revision-restore",
    ),
]
