"""Reads of the text-message channel. Nothing here decrypts the sender's number."""

from __future__ import annotations

from typing import Any

from beacon.messaging.models import Channel, OutboundMessage


def delivery_status(tip: Any) -> dict[int, str]:
    """{staff message id: "Text message: Sent"} for the tip's staff messages sent by text."""
    found: dict[int, str] = {}
    rows = OutboundMessage.objects.filter(conversation__tip=tip, tip_message__isnull=False).select_related(
        "conversation"
    )
    for outbound in rows.only("tip_message_id", "status", "conversation__channel"):
        found[outbound.tip_message_id] = (
            f"{Channel(outbound.conversation.channel).label}: {outbound.get_status_display()}"
        )
    return found
