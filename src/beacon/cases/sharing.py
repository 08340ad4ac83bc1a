"""The fields a referral may carry. The sender picks a subset; only those are shown or serialised."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from beacon.cases.models import Case


def _contact(case: Case) -> dict[str, str]:
    contact = case.person.contact or {}
    return {k: v for k, v in contact.items() if v}


# code -> (label, value getter). Order is the order shown.
SHAREABLE_FIELDS: dict[str, tuple[Any, Callable[[Case], Any]]] = {
    "name": (_("Name"), lambda c: c.person.display_name),
    "aliases": (_("Aliases"), lambda c: c.person.aliases or []),
    "birth_date": (_("Birth date"), lambda c: c.person.birth_date),
    "age": (_("Age at intake"), lambda c: c.person.age_at_intake),
    "minor": (_("Minor"), lambda c: c.person.minor_at_intake or c.person.minor_when_trafficked),
    "gender": (_("Gender"), lambda c: c.person.gender),
    "languages": (_("Languages"), lambda c: c.person.languages),
    "citizenship": (_("Citizenship"), lambda c: c.person.citizenship),
    "contact": (_("Contact details"), _contact),
    "immigration_status": (_("Immigration status"), lambda c: c.person.immigration_status),
    "trafficking_status": (_("Trafficking status"), lambda c: c.trafficking_status),
    "exploitation_types": (_("Types of exploitation"), lambda c: c.exploitation_types),
    "service_needs": (_("Service needs"), lambda c: [n.category for n in c.needs.all()]),
    "relief": (_("Immigration relief"), lambda c: [r.kind for r in c.relief.all()]),
}
DEFAULT_SHARED = ["name", "languages", "contact", "service_needs"]


def field_choices() -> list[tuple[str, Any]]:
    return [(code, label) for code, (label, _getter) in SHAREABLE_FIELDS.items()]


def shared_values(case: Case, fields: list[str]) -> list[dict[str, Any]]:
    """[{field, label, value}] for the chosen fields only, in catalogue order."""
    chosen = set(fields)
    return [
        {"field": code, "label": str(label), "value": getter(case)}
        for code, (label, getter) in SHAREABLE_FIELDS.items()
        if code in chosen
    ]
