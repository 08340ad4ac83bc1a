"""Connects the insights app to the platform: access adapters, staff navigation, home panels, seeders."""

from django.utils.translation import gettext_lazy as _

from beacon.access.policy import register, simple_adapter
from beacon.web import navigation
from beacon.web.navigation import NavItem

# Insights records are aggregates; the adapter lets `can(user, ..., record)` answer for records
# that carry an agency (agency viewers see their agency's figures only).
register("insights", simple_adapter(owner_field=None, agency_field="agency_id"))
navigation.register(NavItem(_("Insights"), "insights:dashboard", "view", "insights"))

from beacon.demo import seeding  # noqa: E402
from beacon.insights import facts, signals, tasks  # noqa: E402,F401  (tasks registers the periodic rebuild)

signals.connect()


def _seed_facts(ctx: seeding.SeedContext) -> None:
    ctx.out(f"  insights facts: {facts.refresh():,} cases")


# After the cases seeder (order 60), which loads rows in bulk without signals.
seeding.register(90, "insights facts", _seed_facts)
