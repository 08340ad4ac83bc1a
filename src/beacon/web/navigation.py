"""The staff navigation: each app adds its entries with the permission that shows them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from beacon.access.policy import can


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    action: str
    resource: str


ITEMS: list[NavItem] = [
    NavItem(_("Home"), "web:home", "", ""),
    NavItem(_("Staff accounts"), "accounts:users", "view", "user"),
]


def register(item: NavItem) -> None:
    if item not in ITEMS:
        ITEMS.append(item)


def items_for(user: Any) -> list[dict[str, str]]:
    visible = []
    for item in ITEMS:
        if item.resource and not can(user, item.action, item.resource):
            continue
        try:
            visible.append({"label": str(item.label), "url": reverse(item.url_name)})
        except NoReverseMatch:
            continue
    return visible
