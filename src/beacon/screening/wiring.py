"""Connects the screening app to the platform: staff navigation, home panels, seeders, API routes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from beacon.accounts.roles import Role
from beacon.api.router import api
from beacon.demo import seeding
from beacon.screening.api import router
from beacon.screening.selectors import in_progress
from beacon.web import home_panels, navigation
from beacon.web.navigation import NavItem


def in_progress_panel(request: HttpRequest) -> dict[str, Any] | None:
    if not request.user.agency_id:
        return None
    return {
        "title": gettext("Screenings in progress"),
        "template": "screening/_home_panel.html",
        "screenings": in_progress(request.user, limit=10),
    }


def connect() -> None:
    navigation.register(NavItem(_("Screenings"), "screening:list", "view", "screening"))
    home_panels.register({Role.HOTLINE, Role.CASEWORKER}, in_progress_panel)
    # After the cases seeder (order 60): screenings are added to demo cases it made.
    seeding.register(70, "screenings", "beacon.screening.seed.seed_screenings")
    api.add_router("/screenings", router)
