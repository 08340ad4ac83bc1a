from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "beacon.insights"
    label = "insights"

    def ready(self) -> None:
        # Imported here: these modules import models, which exist only once the app registry is ready.
        from beacon.insights import access, wiring

        access.register_adapters()
        wiring.connect()
