from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "beacon.reference"
    label = "reference"
    verbose_name = "Reference data"
