from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "beacon.directory"
    label = "directory"

    def ready(self) -> None:
        # Imported here: these modules import models, which exist only once the app registry is ready.
        from beacon.directory import access, wiring

        access.register_adapters()
        wiring.connect()
