from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "beacon.outreach"
    label = "outreach"
    verbose_name = "Outreach in the field"

    def ready(self) -> None:
        from beacon.outreach import wiring  # noqa: F401  (access adapter, navigation)
