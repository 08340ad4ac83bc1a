from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "beacon.api"
    label = "api"
    verbose_name = "API"
