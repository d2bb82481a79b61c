from django.apps import AppConfig


class SteunenConfig(AppConfig):
    name = "steunen"
    verbose_name = "Steunen"
