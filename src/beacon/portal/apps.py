from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "beacon.portal"
    label = "portal"

    def ready(self) -> None:
        from beacon.portal import wiring  # noqa: F401  (access adapters, navigation, seeders, API routes)
