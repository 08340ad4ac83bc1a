from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "beacon.outreach"
    label = "outreach"
    verbose_name = "Outreach in the field"

    def ready(self) -> None:
        # Imported here: these modules import models, which exist only once the app registry is ready.
        from beacon.outreach import access, wiring

        access.register_adapters()
        wiring.connect()
