"""How matters relate to a user, for the access policy: a matter belongs to its agency; a designated
contact is asked about through its agency; a deconfliction look-up belongs to the asking agency."""

from __future__ import annotations

from beacon.access.policy import register, simple_adapter


def register_adapters() -> None:
    register("matter", simple_adapter(owner_field="lead_id", agency_field="agency_id"))
    register("deconflictioncontact", simple_adapter(owner_field=None, agency_field="pk"))
    register("deconfliction", simple_adapter(owner_field=None, agency_field="agency_id"))
