"""Public URLs, WordPress-shaped so that a migrated blog keeps its links (DESIGN.md)."""

from django.urls import path

from pressbox.comments import feeds
from pressbox.posts import converters  # noqa: F401  (registers yyyy, mm, wpslug)
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


def with_comments(route: str, view, name: str) -> list:
    """A post permalink, its comment pages (`comment-page-<n>/`, as WordPress pages
    comments) and its comment feed (`feed/`)."""
    return [
        path(route, view, name=name),
        path(f"{route}comment-page-<int:comment_page>/", view, name=f"{name}-comment-page"),
        path(f"{route}feed/", feeds.post_comments_feed, name=f"{name}-feed"),
    ]


urlpatterns = [
    *paginated("", archives.home, "home"),
    *paginated("category/<catpath:path>/", archives.category, "category"),
    *paginated("tag/<wpslug:slug>/", archives.tag, "tag"),
    *paginated("author/<wpslug:username>/", archives.author, "author"),
    *paginated("<yyyy:year>/", archives.date_archive, "archive-year"),
    *paginated("<yyyy:year>/<mm:month>/", archives.date_archive, "archive-month"),
    *paginated("<yyyy:year>/<mm:month>/<mm:day>/", archives.date_archive, "archive-day"),
    *with_comments("<yyyy:year>/<mm:month>/<wpslug:slug>/", detail.post_detail, "detail"),
    *with_comments(
        "<yyyy:year>/<mm:month>/<mm:day>/<wpslug:slug>/", detail.post_detail, "detail-day"
    ),
    *with_comments("archives/<int:pk>/", detail.post_detail_numeric, "detail-numeric"),
    path("preview/<str:token>/", preview.preview, name="preview"),  # a draft's signed link
]
