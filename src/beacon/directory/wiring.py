"""Connects the directory app to the platform: staff navigation, seeders, API routes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from beacon.api.router import api
from beacon.demo import seeding
from beacon.directory.api import router
from beacon.web import navigation
from beacon.web.navigation import NavItem


def connect() -> None:
    navigation.register(NavItem(_("Directory"), "directory:list", "view", "directory"))
    seeding.register(20, "directory", "beacon.directory.seed.seed_directory")
    api.add_router("/directory", router)
