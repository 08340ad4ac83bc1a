"""Connects the data-lifecycle app: its staff page in the navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from beacon.web import navigation
from beacon.web.navigation import NavItem


def connect() -> None:
    navigation.register(NavItem(_("Holds and erasure"), "lifecycle:index", "view", "legal_hold"))
