"""Flag names and families for filters and labels, read from the core's rule set."""

from __future__ import annotations

from functools import cache

from django.utils.translation import gettext_lazy as _

from beacon.intel.core.flags import TAG_FAMILIES, default_rules

FAMILY_LABELS = {
    "labour-recruitment": _("Fraudulent labour recruitment"),
    "commercial-sex": _("Commercial sexual exploitation"),
    "both": _("Either kind (neutral)"),
}


def family_choices() -> list[tuple[str, str]]:
    return [(f, str(FAMILY_LABELS.get(f, f))) for f in TAG_FAMILIES]


@cache
def flag_descriptions() -> dict[str, str]:
    return {f.id: f.description for f in default_rules().flags}


def flag_choices() -> list[tuple[str, str]]:
    return [(f.id, f"{f.id} — {f.description}") for f in default_rules().flags if f.level == "post"]


def describe(flag_id: str) -> str:
    return flag_descriptions().get(flag_id, flag_id)
