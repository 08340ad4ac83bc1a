"""Connects the intel app to the platform: access adapters, staff navigation, home panels, seeders."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from beacon.access.policy import Adapter, _never, _nothing, register
from beacon.demo import seeding
from beacon.web import navigation
from beacon.web.navigation import NavItem

# Intel records are public online posts and what the analysis derives from them: no agency owns
# them, so the policy grants them at scope ALL only and the record-level tests never match.
register(
    "intel",
    Adapter(owner=_never, agency=_never, shared=_never, q_own=_nothing, q_agency=_nothing, q_shared=_nothing),
)

navigation.register(NavItem(_("Networks"), "intel:networks", "view", "intel"))
navigation.register(NavItem(_("Post search"), "intel:posts", "view", "intel"))
navigation.register(NavItem(_("Post imports"), "intel:imports", "create", "intel"))


def _seed(ctx: object) -> None:
    from beacon.intel.seed import seed_posts

    seed_posts(ctx)


seeding.register(80, "posts", _seed)

from beacon.intel import tasks  # noqa: E402,F401  (registers the Huey tasks)
