from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "beacon.insights"
    label = "insights"

    def ready(self) -> None:
        from beacon.insights import wiring  # noqa: F401  (access adapters, navigation, seeders, API routes)
