from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "beacon.messaging"
    label = "messaging"

    def ready(self) -> None:
        # Imported here: these modules import models, which exist only once the app registry is ready.
        from beacon.messaging import wiring

        wiring.connect()  # staff replies go out by text message
