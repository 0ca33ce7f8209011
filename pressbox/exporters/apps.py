from django.apps import AppConfig


class ExportersConfig(AppConfig):
    name = "pressbox.exporters"
    label = "exporters"
    verbose_name = "Exporters"
