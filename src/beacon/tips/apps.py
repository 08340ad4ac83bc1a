from django.apps import AppConfig


class TipsConfig(AppConfig):
    name = "beacon.tips"
    label = "tips"

    def ready(self) -> None:
        from beacon.tips import wiring  # noqa: F401  (access adapters, navigation, seeders, API routes)
