from django.apps import AppConfig


class SignalerenConfig(AppConfig):
    name = "signaleren"
    verbose_name = "Signaleren"
