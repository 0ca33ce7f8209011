from django.contrib import admin
from django.urls import include, path, re_path

from pressbox.comments import feeds
from pressbox.posts.views import avatars, detail, media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("dashboard/", include("pressbox.dashboard.urls")),
    re_path(r"^avatar/(?P<key>[0-9a-f]{32})\.svg$", avatars.avatar, name="avatar"),
    path("", include("pressbox.comments.urls")),
    path("", include("pressbox.posts.urls")),
    # Uploaded media; a front server may serve MEDIA_ROOT itself (docs/deploy.md).
    re_path(r"^media/(?P<path>.+)$", media.media, name="media"),
    # Last: a page, or a post under the /<slug>/ permalink structure, with the post's
    # comment pages and comment feed.
    path("<wpslug:slug>/", detail.page_or_post, name="page-or-post"),
    path(
        "<wpslug:slug>/comment-page-<int:comment_page>/",
        detail.page_or_post,
        name="post-comment-page",
    ),
    path("<wpslug:slug>/feed/", feeds.post_comments_feed, name="post-feed"),
]
