"""The one way an app plugs into the platform once Django's app registry is ready."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig


class ConnectedAppConfig(AppConfig):
    """An app whose `access.py` registers its access adapters (`register_adapters()`) and whose
    `wiring.py` connects it to navigation, home panels, seeders and API routes (`connect()`).

    Both are imported here rather than at the top of apps.py: they import models, which exist
    only once the registry is ready. An app without one of the two modules simply has none.
    Apps import this module (`from beacon.web import appconfig`), not the class: Django picks an
    app's config as the one AppConfig subclass its apps.py holds."""

    def ready(self) -> None:
        for module, hook in (("access", "register_adapters"), ("wiring", "connect")):
            name = f"{self.name}.{module}"
            if find_spec(name) is not None:
                getattr(import_module(name), hook)()
