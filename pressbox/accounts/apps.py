from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pressbox.accounts"
    label = "accounts"
    verbose_name = "Accounts"
