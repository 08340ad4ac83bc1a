from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "beacon.cases"
    label = "cases"

    def ready(self) -> None:
        # Imported here: these modules import models, which exist only once the app registry is ready.
        from beacon.cases import access, wiring

        access.register_adapters()
        wiring.connect()
