from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "beacon.web"
    label = "web"
    verbose_name = "Web shell"

    def ready(self) -> None:
        from beacon.web import checks  # noqa: F401  (registers the deployment checks)
