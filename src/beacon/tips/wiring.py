"""Connects the tips app to the platform: staff navigation, home panels, seeders, API routes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from beacon.accounts.roles import Role
from beacon.api.router import api
from beacon.demo import seeding
from beacon.tips.api import router
from beacon.tips.selectors import queue
from beacon.web import home_panels, navigation
from beacon.web.navigation import NavItem


def urgent_tips_panel(request: Any) -> dict[str, Any] | None:
    tips = list(queue(request.user)[:5])
    return {"title": _("Most urgent tips"), "template": "tips/_home_panel.html", "tips": tips}


def connect() -> None:
    navigation.register(NavItem(_("Tips"), "tips:queue", "view", "tip"))
    home_panels.register({Role.HOTLINE, Role.SUPERVISOR}, urgent_tips_panel)
    seeding.register(60, "tips", "beacon.tips.demo.seed_tips")
    api.add_router("/tips", router)
