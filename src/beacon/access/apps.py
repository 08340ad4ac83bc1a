from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "beacon.access"
    label = "access"
    verbose_name = "Access policy"
