"""How insights records relate to a user, for the access policy.

Insights records are aggregates; the adapter lets `can(user, ..., record)` answer for records that
carry an agency (agency viewers see their agency's figures only).
"""

from __future__ import annotations

from beacon.access.policy import register, simple_adapter


def register_adapters() -> None:
    register("insights", simple_adapter(owner_field=None, agency_field="agency_id"))
