"""Connects the outreach app to the platform: staff navigation and its API routes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from beacon.api.router import api
from beacon.outreach.api import router
from beacon.web import navigation
from beacon.web.navigation import NavItem


def connect() -> None:
    navigation.register(NavItem(_("Outreach"), "outreach:list", "view", "outreach"))
    api.add_router("/field", router)
