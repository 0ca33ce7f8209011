from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "pressbox.importers"
    label = "importers"
    verbose_name = "Importers"
