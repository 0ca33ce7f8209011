from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "pressbox.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from pressbox.accounts.roles import sync_roles

        # After the last app migrates, every permission exists: (re)build the roles.
        post_migrate.connect(sync_roles, dispatch_uid="pressbox.accounts.sync_roles")


class PressboxAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with a login page that is the dashboard's (admin_site.py)."""

    default = False  # "pressbox.accounts" in INSTALLED_APPS still means AccountsConfig

    default_site = "pressbox.accounts.admin_site.PressboxAdminSite"
