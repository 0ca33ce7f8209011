from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "pressbox.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"
