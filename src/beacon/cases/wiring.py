"""Connects the cases app to the platform: staff navigation, home panels, seeders, API routes, tasks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from beacon.accounts.roles import Role
from beacon.api.router import api
from beacon.cases import tasks  # noqa: F401  (registers the periodic reminder task with Huey)
from beacon.cases.api import router
from beacon.cases.panels import caseload_panel
from beacon.demo import seeding
from beacon.web import home_panels, navigation
from beacon.web.navigation import NavItem


def connect() -> None:
    navigation.register(NavItem(_("Cases"), "cases:list", "view", "case"))
    navigation.register(NavItem(_("Referrals"), "cases:referrals", "view", "referral"))
    home_panels.register({Role.HOTLINE, Role.CASEWORKER, Role.SUPERVISOR, Role.INVESTIGATOR}, caseload_panel)
    seeding.register(60, "cases", "beacon.cases.seed.seed_cases")
    api.add_router("/cases", router)
