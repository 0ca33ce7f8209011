"""/dashboard/ URLs; each section keeps its routes in pressbox.dashboard.routes.<section>
(URL names: dashboard:<section>-<action>)."""

from django.urls import include, path

from pressbox.dashboard.views import accounts, home

app_name = "dashboard"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", accounts.login, name="login"),
    path("login/code/", accounts.login_code, name="login-code"),
    path("logout/", accounts.logout, name="logout"),
    path("posts/", include("pressbox.dashboard.routes.posts")),
    path("media/", include("pressbox.dashboard.routes.media")),
    path("comments/", include("pressbox.dashboard.routes.comments")),
    path("", include("pressbox.dashboard.routes.accounts")),
]
