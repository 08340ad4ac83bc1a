from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "beacon.screening"
    label = "screening"

    def ready(self) -> None:
        # Imported here: these modules import models, which exist only once the app registry is ready.
        from beacon.screening import access, wiring

        access.register_adapters()
        wiring.connect()
