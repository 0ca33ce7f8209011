"""/dashboard/ URLs. Each section adds its routes here (dashboard:<section>-<action>)."""

from django.contrib.auth import views as auth_views
from django.urls import path

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
]
