"""How directory entries relate to a user, for the access policy: an entry belongs to its agency."""

from __future__ import annotations

from beacon.access.policy import register, simple_adapter


def register_adapters() -> None:
    register("directory", simple_adapter(owner_field=None, agency_field="agency_id"))
