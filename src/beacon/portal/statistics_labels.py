"""Public wording for the category codes in a published statistics release (HTCDS gender value
names, age bins, UN M49 sub-regions), kept here so the portal's own catalog translates all of it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

UNKNOWN = _("Unknown")

# HTCDS 2.0 prs_Gender value names.
GENDER_LABELS = {
    "Feminine": _("Feminine"),
    "Masculine": _("Masculine"),
    "TransgenderFeminine": _("Transgender feminine"),
    "TransgenderMasculine": _("Transgender masculine"),
    "NonConforming": _("Non-conforming"),
    "NonSpecifiedUnknown": _("Not specified or unknown"),
}

# UN M49 sub-regions, as named in insights/data/country_regions.csv.
REGION_LABELS = {
    "Antarctica": _("Antarctica"),
    "Australia and New Zealand": _("Australia and New Zealand"),
    "Caribbean": _("Caribbean"),
    "Central America": _("Central America"),
    "Central Asia": _("Central Asia"),
    "Eastern Africa": _("Eastern Africa"),
    "Eastern Asia": _("Eastern Asia"),
    "Eastern Europe": _("Eastern Europe"),
    "Melanesia": _("Melanesia"),
    "Micronesia": _("Micronesia"),
    "Middle Africa": _("Middle Africa"),
    "Northern Africa": _("Northern Africa"),
    "Northern America": _("Northern America"),
    "Northern Europe": _("Northern Europe"),
    "Polynesia": _("Polynesia"),
    "South America": _("South America"),
    "South-eastern Asia": _("South-eastern Asia"),
    "Southern Africa": _("Southern Africa"),
    "Southern Asia": _("Southern Asia"),
    "Southern Europe": _("Southern Europe"),
    "Western Africa": _("Western Africa"),
    "Western Asia": _("Western Asia"),
    "Western Europe": _("Western Europe"),
}

_LABELS_BY_TABLE = {"gender": GENDER_LABELS, "citizenship": REGION_LABELS}


def category_label(table_key: str, code: str) -> str:
    """The translated label for one category of a released table; age bins ("18-20", "48+") and
    codes without a label are shown as they are."""
    if code == "unknown":
        return str(UNKNOWN)
    label = _LABELS_BY_TABLE.get(table_key, {}).get(code)
    return str(label) if label is not None else code


def labelled_pairs(table: dict[str, Any]) -> list[tuple[str, Any]]:
    """(translated label, value) for each category of a released table, in the release's order."""
    return [
        (category_label(table["key"], code), value)
        for code, value in zip(table["categories"], table["values"], strict=True)
    ]
