"""Connects the matters app to the platform: staff navigation, the task-force home panel, the demo seeder."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from beacon.accounts.roles import Role
from beacon.demo import seeding
from beacon.matters.panels import task_force_panel
from beacon.web import home_panels, navigation
from beacon.web.navigation import NavItem


def connect() -> None:
    navigation.register(NavItem(_("Matters"), "matters:list", "view", "matter"))
    navigation.register(NavItem(_("Deconfliction"), "matters:deconfliction", "view", "deconfliction"))
    navigation.register(NavItem(_("Deconfliction contact"), "matters:contact", "update", "deconflictioncontact"))
    home_panels.register({Role.INVESTIGATOR, Role.PROSECUTOR, Role.COORDINATOR}, task_force_panel)
    seeding.register(75, "matters", "beacon.matters.seed.seed_matters")
