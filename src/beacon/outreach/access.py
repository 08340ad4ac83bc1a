"""How outreach events relate to a user, for the access policy: an event belongs to its agency."""

from __future__ import annotations

from beacon.access.policy import register, simple_adapter


def register_adapters() -> None:
    register("outreach", simple_adapter(owner_field=None, agency_field="agency_id"))
