"""Public URLs, WordPress-shaped so that a migrated blog keeps its links (DESIGN.md)."""

from django.urls import path

from pressbox.posts import converters  # noqa: F401  (registers yyyy, mm, wpslug)
from pressbox.posts.views import archives, detail

app_name = "posts"


def paginated(route: str, view, name: str) -> list:
    """`route` + `page/<n>/` and `route`, as WordPress paginates every list.

    The paged route comes first so that a nested category path does not swallow it.
    """
    return [
        path(f"{route}page/<int:page>/", view, name=f"{name}-page"),
        path(route, view, name=name),
    ]


urlpatterns = [
    *paginated("", archives.home, "home"),
    *paginated("category/<catpath:path>/", archives.category, "category"),
    *paginated("tag/<wpslug:slug>/", archives.tag, "tag"),
    *paginated("author/<wpslug:username>/", archives.author, "author"),
    *paginated("<yyyy:year>/", archives.date_archive, "archive-year"),
    *paginated("<yyyy:year>/<mm:month>/", archives.date_archive, "archive-month"),
    *paginated("<yyyy:year>/<mm:month>/<mm:day>/", archives.date_archive, "archive-day"),
    path("<yyyy:year>/<mm:month>/<wpslug:slug>/", detail.post_detail, name="detail"),
    path("<yyyy:year>/<mm:month>/<mm:day>/<wpslug:slug>/", detail.post_detail, name="detail-day"),
    path("archives/<int:pk>/", detail.post_detail_numeric, name="detail-numeric"),
]
