from django.apps import AppConfig


class IntelConfig(AppConfig):
    name = "beacon.intel"
    label = "intel"

    def ready(self) -> None:
        # Imported here: these modules import models, which exist only once the app registry is ready.
        from beacon.intel import access, wiring

        access.register_adapters()
        wiring.connect()
