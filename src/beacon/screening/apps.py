from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "beacon.screening"
    label = "screening"

    def ready(self) -> None:
        from beacon.screening import wiring  # noqa: F401  (access adapters, navigation, seeders, API routes)
