"""Public URLs, WordPress-shaped so that a migrated blog keeps its links (DESIGN.md)."""

from django.urls import path

from pressbox.comments import feeds as comment_feeds
from pressbox.posts import converters  # noqa: F401  (registers yyyy, mm, wpslug)
from pressbox.posts.feeds import posts as post_feeds
from pressbox.posts.feeds.formats import SUFFIXES
from pressbox.posts.views import archives, detail, preview

app_name = "posts"


def paginated(route: str, view, name: str) -> list:
    """`route` + `page/<n>/` and `route`, as WordPress paginates every list.

    The paged route comes first so that a nested category path does not swallow it.
    """
    return [
        path(f"{route}page/<int:page>/", view, name=f"{name}-page"),
        path(route, view, name=name),
    ]


def feeds(route: str, view, name: str) -> list:
    """`route` + `feed/` (RSS 2.0), `feed/atom/` and `feed/json/`, named `<name>-feed`,
    `<name>-feed-atom` and `<name>-feed-json`, then WordPress's `feed/rss2/` (and
    `rss/`, `rdf/`) answering 301 to `feed/`.

    They come before `route`'s own patterns so that a nested category path does not
    swallow them.
    """
    base = f"{name}-feed" if name else "feed"
    return [
        *(
            path(
                f"{route}feed/{suffix}",
                view,
                {"kind": kind},
                name=base if kind == "rss" else f"{base}-{kind}",
            )
            for kind, suffix in SUFFIXES.items()
        ),
        path(f"{route}feed/<slug:legacy>/", post_feeds.legacy_feed, name=f"{base}-legacy"),
    ]


def with_comments(route: str, view, name: str) -> list:
    """A post permalink, its comment pages (`comment-page-<n>/`, as WordPress pages
    comments) and its comment feeds (`feed/`, `feed/atom/`, `feed/json/`)."""
    return [
        path(route, view, name=name),
        path(f"{route}comment-page-<int:comment_page>/", view, name=f"{name}-comment-page"),
        *feeds(route, comment_feeds.post_comments_feed, name),
    ]


urlpatterns = [
    *feeds("", post_feeds.site_feed, ""),
    *paginated("", archives.home, "home"),
    *feeds("category/<catpath:path>/", post_feeds.category_feed, "category"),
    *paginated("category/<catpath:path>/", archives.category, "category"),
    *feeds("tag/<wpslug:slug>/", post_feeds.tag_feed, "tag"),
    *paginated("tag/<wpslug:slug>/", archives.tag, "tag"),
    *feeds("author/<wpslug:username>/", post_feeds.author_feed, "author"),
    *paginated("author/<wpslug:username>/", archives.author, "author"),
    *feeds("<yyyy:year>/", post_feeds.date_feed, "archive-year"),
    *paginated("<yyyy:year>/", archives.date_archive, "archive-year"),
    *feeds("<yyyy:year>/<mm:month>/", post_feeds.date_feed, "archive-month"),
    *paginated("<yyyy:year>/<mm:month>/", archives.date_archive, "archive-month"),
    *feeds("<yyyy:year>/<mm:month>/<mm:day>/", post_feeds.date_feed, "archive-day"),
    *paginated("<yyyy:year>/<mm:month>/<mm:day>/", archives.date_archive, "archive-day"),
    *with_comments("<yyyy:year>/<mm:month>/<wpslug:slug>/", detail.post_detail, "detail"),
    *with_comments(
        "<yyyy:year>/<mm:month>/<mm:day>/<wpslug:slug>/", detail.post_detail, "detail-day"
    ),
    *with_comments("archives/<int:pk>/", detail.post_detail_numeric, "detail-numeric"),
    path("preview/<str:token>/", preview.preview, name="preview"),  # a draft's signed link
]
