from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "beacon.cases"
    label = "cases"

    def ready(self) -> None:
        from beacon.cases import wiring  # noqa: F401  (access adapters, navigation, seeders, API routes)
