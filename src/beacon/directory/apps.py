from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "beacon.directory"
    label = "directory"

    def ready(self) -> None:
        from beacon.directory import wiring  # noqa: F401  (access adapters, navigation, seeders, API routes)
