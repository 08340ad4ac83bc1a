"""Connects the screening app to the platform: access adapters, staff navigation, home panels, seeders."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from beacon.accounts.roles import Role
from beacon.demo import seeding
from beacon.screening.access import register_adapter
from beacon.web import home_panels, navigation
from beacon.web.navigation import NavItem

register_adapter()
navigation.register(NavItem(_("Screenings"), "screening:list", "view", "screening"))


def in_progress_panel(request: HttpRequest) -> dict[str, Any] | None:
    from beacon.screening.selectors import in_progress

    if not request.user.agency_id:
        return None
    return {"title": gettext("Screenings in progress"), "template": "screening/_home_panel.html",
            "screenings": in_progress(request.user, limit=10)}


home_panels.register({Role.HOTLINE, Role.CASEWORKER}, in_progress_panel)


def _seed(ctx: Any) -> None:
    from beacon.screening.seed import seed_screenings

    seed_screenings(ctx)


# After the cases seeder (order 60): screenings are added to demo cases it made.
seeding.register(70, "screenings", _seed)
