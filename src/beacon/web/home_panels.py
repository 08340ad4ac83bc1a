"""Panels on the staff home page. Apps register a panel for the roles it serves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

Panel = Callable[[HttpRequest], dict[str, Any] | None]
_PANELS: list[tuple[frozenset[str], Panel]] = []


def register(roles: set[str], panel: Panel) -> None:
    _PANELS.append((frozenset(roles), panel))


def panels_for(user: Any) -> list[Panel]:
    return [panel for roles, panel in _PANELS if user.role in roles]
