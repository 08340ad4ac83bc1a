"""Connects the text-message channel to tips: staff replies on a texted tip go out by text, and
the tip page shows how each delivery went."""

from __future__ import annotations

from beacon.messaging import selectors, services
from beacon.tips import channels


def connect() -> None:
    channels.on_staff_message(services.queue_staff_message)
    channels.on_delivery_report(selectors.delivery_status)
