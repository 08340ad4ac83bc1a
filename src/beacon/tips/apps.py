from django.apps import AppConfig


class TipsConfig(AppConfig):
    name = "beacon.tips"
    label = "tips"

    def ready(self) -> None:
        # Imported here: these modules import models, which exist only once the app registry is ready.
        from beacon.tips import access, wiring

        access.register_adapters()
        wiring.connect()
