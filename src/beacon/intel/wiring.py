"""Connects the intel app to the platform: staff navigation, seeders, API routes, tasks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from beacon.api.router import api
from beacon.demo import seeding
from beacon.intel import tasks  # noqa: F401  (registers the Huey tasks)
from beacon.intel.api import router
from beacon.intel.selectors import match_blind_indexes
from beacon.tips import selectors as tip_selectors
from beacon.web import navigation
from beacon.web.navigation import NavItem


def connect() -> None:
    navigation.register(NavItem(_("Networks"), "intel:networks", "view", "intel"))
    navigation.register(NavItem(_("Post search"), "intel:posts", "view", "intel"))
    navigation.register(NavItem(_("Post imports"), "intel:imports", "create", "intel"))
    seeding.register(80, "posts", "beacon.intel.seed.seed_posts")
    api.add_router("/intel", router)
    tip_selectors.register_matcher("intel", match_blind_indexes)
