"""Connects the insights app to the platform: staff navigation, signals, seeders, API routes, tasks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from beacon.api.router import api
from beacon.demo import seeding
from beacon.insights import (
    facts,
    signals,
    tasks,  # noqa: F401  (registers the periodic rebuild with Huey)
)
from beacon.insights.api import router
from beacon.web import navigation
from beacon.web.navigation import NavItem


def seed_facts(ctx: seeding.SeedContext) -> None:
    ctx.out(f"  insights facts: {facts.refresh():,} cases")


def connect() -> None:
    navigation.register(NavItem(_("Insights"), "insights:dashboard", "view", "insights"))
    signals.connect()
    # After the cases seeder (order 60), which loads rows in bulk without signals.
    seeding.register(90, "insights facts", "beacon.insights.wiring.seed_facts")
    api.add_router("/insights", router)
