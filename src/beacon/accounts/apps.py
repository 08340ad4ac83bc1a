from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "beacon.accounts"
    label = "accounts"
    verbose_name = "Agencies and people"

    def ready(self) -> None:
        # Imported here: these modules import models, which exist only once the app registry is ready.
        from beacon.accounts import access, wiring

        access.register_adapters()
        wiring.connect()
