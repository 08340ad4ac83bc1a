"""Connects the cases app to the platform: access adapters, staff navigation, home panels, seeders."""

from django.utils.translation import gettext_lazy as _

from beacon.accounts.roles import Role
from beacon.cases.access import register_adapters
from beacon.cases.panels import caseload_panel
from beacon.cases.seed import seed_cases
from beacon.demo import seeding
from beacon.web import home_panels, navigation
from beacon.web.navigation import NavItem

register_adapters()
navigation.register(NavItem(_("Cases"), "cases:list", "view", "case"))
navigation.register(NavItem(_("Referrals"), "cases:referrals", "view", "referral"))
home_panels.register({Role.HOTLINE, Role.CASEWORKER, Role.SUPERVISOR, Role.INVESTIGATOR}, caseload_panel)
seeding.register(60, "cases", seed_cases)

from beacon.cases import tasks  # noqa: E402,F401  (registers the periodic reminder task with Huey)
