from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "beacon.portal"
    label = "portal"
