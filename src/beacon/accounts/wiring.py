"""Connects the accounts app to the platform: the administrators' home panels and the audit receivers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from beacon.accounts import (
    panels,
    signals,  # noqa: F401  (connects the audit receivers)
)
from beacon.accounts.roles import Role
from beacon.web import home_panels, navigation


def connect() -> None:
    navigation.register(navigation.NavItem(_("API tokens"), "accounts:tokens", "", ""))
    home_panels.register({Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN}, panels.staff_panel)
    home_panels.register({Role.SYSTEM_ADMIN}, panels.platform_panel)
