from django.contrib import admin
from django.urls import include, path, re_path

from pressbox.comments import feeds
from pressbox.lib import health
from pressbox.posts.feeds.posts import legacy_feed
from pressbox.posts.views import avatars, detail, media, seo

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("dashboard/", include("pressbox.dashboard.urls")),
    re_path(r"^avatar/(?P<key>[0-9a-f]{32})\.svg$", avatars.avatar, name="avatar"),
    path("robots.txt", seo.robots, name="robots"),
    path("sitemap.xml", seo.sitemap, name="sitemap"),
    re_path(
        r"^sitemap-(?P<section>[a-z]+)-(?P<page>[0-9]{1,9})\.xml$",
        seo.sitemap_section,
        name="sitemap-section",
    ),
    path("", include("pressbox.comments.urls")),
    path("", include("pressbox.posts.urls")),
    # Uploaded media; a front server may serve MEDIA_ROOT itself (docs/deploy.md).
    re_path(r"^media/(?P<path>.+)$", media.media, name="media"),
    # Last: a page, or a post under the /<slug>/ permalink structure, with the post's
    # comment pages and comment feeds.
    path("<wpslug:slug>/", detail.page_or_post, name="page-or-post"),
    path(
        "<wpslug:slug>/comment-page-<int:comment_page>/",
        detail.page_or_post,
        name="post-comment-page",
    ),
    path("<wpslug:slug>/feed/", feeds.post_comments_feed, {"kind": "rss"}, name="post-feed"),
    path(
        "<wpslug:slug>/feed/atom/",
        feeds.post_comments_feed,
        {"kind": "atom"},
        name="post-feed-atom",
    ),
    path(
        "<wpslug:slug>/feed/json/",
        feeds.post_comments_feed,
        {"kind": "json"},
        name="post-feed-json",
    ),
    path("<wpslug:slug>/feed/<slug:legacy>/", legacy_feed, name="post-feed-legacy"),
]
