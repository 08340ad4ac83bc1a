from django.apps import AppConfig


class IntelConfig(AppConfig):
    name = "beacon.intel"
    label = "intel"

    def ready(self) -> None:
        from beacon.intel import wiring  # noqa: F401  (access adapters, navigation, seeders, API routes)
