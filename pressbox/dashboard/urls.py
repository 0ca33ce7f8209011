"""/dashboard/ URLs; each section keeps its routes in pressbox.dashboard.routes.<section>
(URL names: dashboard:<section>-<action>)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from pressbox.dashboard.views import home

app_name = "dashboard"

urlpatterns = [
    path("", home.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="dashboard/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("posts/", include("pressbox.dashboard.routes.posts")),
    path("media/", include("pressbox.dashboard.routes.media")),
    path("comments/", include("pressbox.dashboard.routes.comments")),
    path("", include("pressbox.dashboard.routes.accounts")),
]
