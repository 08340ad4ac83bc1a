"""Every app that has access adapters or wiring is connected the one way."""

from __future__ import annotations

from importlib.util import find_spec

from django.apps import apps

from beacon.web.appconfig import ConnectedAppConfig


def test_every_app_with_access_or_wiring_uses_the_connected_config():
    connected = []
    for config in apps.get_app_configs():
        if not config.name.startswith("beacon."):
            continue
        if any(find_spec(f"{config.name}.{module}") for module in ("access", "wiring")):
            assert isinstance(config, ConnectedAppConfig), config.name
            connected.append(config.label)
    assert {"tips", "cases", "messaging", "outreach"} <= set(connected)
