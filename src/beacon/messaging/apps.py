from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "beacon.messaging"
    label = "messaging"

    def ready(self) -> None:
        from beacon.messaging import wiring  # noqa: F401  (staff replies go out by text message)
