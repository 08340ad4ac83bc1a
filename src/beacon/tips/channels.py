"""Channels that carry staff messages back to a reporter (text message, WhatsApp).

The tips app knows nothing about providers: a channel app registers a listener here, and
`message_reporter` calls every listener inside its transaction, so a delivery is queued exactly
when the message is stored (and not at all when the transaction rolls back).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from beacon.tips.models import TipMessage

StaffMessageListener = Callable[[TipMessage], None]
# tip -> {message id: how its delivery went}, shown beside staff messages on the tip page
DeliveryReport = Callable[[Any], dict[int, str]]
_listeners: list[StaffMessageListener] = []
_reports: list[DeliveryReport] = []


def on_staff_message(listener: StaffMessageListener) -> StaffMessageListener:
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def staff_message_written(message: TipMessage) -> None:
    for listener in _listeners:
        listener(message)


def on_delivery_report(report: DeliveryReport) -> DeliveryReport:
    if report not in _reports:
        _reports.append(report)
    return report


def delivery_status(tip: Any) -> dict[int, str]:
    found: dict[int, str] = {}
    for report in _reports:
        found.update(report(tip))
    return found
