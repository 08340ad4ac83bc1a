"""Connects the accounts app to the platform: the administrators' home panels and the audit receivers."""

from __future__ import annotations

from beacon.accounts import (
    panels,
    signals,  # noqa: F401  (connects the audit receivers)
)
from beacon.accounts.roles import Role
from beacon.web import home_panels


def connect() -> None:
    home_panels.register({Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN}, panels.staff_panel)
    home_panels.register({Role.SYSTEM_ADMIN}, panels.platform_panel)
