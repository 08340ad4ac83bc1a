"""How legal holds and erasures relate to a user, for the access policy: each belongs to the agency
holding the record."""

from __future__ import annotations

from beacon.access.policy import register, simple_adapter


def register_adapters() -> None:
    register("legal_hold", simple_adapter(owner_field=None, agency_field="agency_id"))
    register("erasure", simple_adapter(owner_field=None, agency_field="agency_id"))
