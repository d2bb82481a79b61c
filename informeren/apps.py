from django.apps import AppConfig


class InformerenConfig(AppConfig):
    name = "informeren"
    verbose_name = "Informeren"
