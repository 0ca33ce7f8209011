from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "pressbox.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from pressbox.accounts.roles import sync_roles

        # After the last app migrates, every permission exists: (re)build the roles.
        post_migrate.connect(sync_roles, dispatch_uid="pressbox.accounts.sync_roles")
