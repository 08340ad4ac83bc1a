"""Template helpers: translated labels for stored vocabulary codes."""

from __future__ import annotations

import csv
from functools import cache
from typing import Any

import phonenumbers
import pycountry
from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _lazy

from beacon.cases.sharing import SHAREABLE_FIELDS
from beacon.reference.vocabularies import DATA, all_vocabularies

register = template.Library()


@cache
def _labels(vocabulary: str) -> dict[str, str]:
    return {code: label for code, label, _extra in all_vocabularies().get(vocabulary, [])}


@register.filter
def vlabel(code: Any, vocabulary: str) -> str:
    """`{{ case.polaris_type|vlabel:"polaris" }}` -> the translated label (or the code if unknown)."""
    if code in (None, ""):
        return ""
    return gettext(_labels(vocabulary).get(str(code), str(code)))


@register.filter
def vlabels(codes: Any, vocabulary: str) -> str:
    return ", ".join(vlabel(code, vocabulary) for code in (codes or []))


@cache
def _language_names() -> dict[str, str]:
    with (DATA / "languages.csv").open(newline="", encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


@register.filter
def language_names(codes: Any) -> str:
    """`["es", "quc"]` -> "Spanish, K'iche'" (translated where the catalog has the name)."""
    names = _language_names()
    return ", ".join(gettext(names.get(str(code), str(code))) for code in (codes or []))


@register.filter
def country_name(code: Any) -> str:
    """ISO 3166 alpha-2 or alpha-3 code -> the country's name (the code itself when unknown)."""
    if not code:
        return ""
    country = (
        pycountry.countries.get(alpha_3=str(code))
        if len(str(code)) == 3
        else pycountry.countries.get(alpha_2=str(code))
    )
    return gettext(getattr(country, "common_name", None) or country.name) if country else str(code)


CONTACT_LABELS = {"phone": _lazy("phone"), "email": _lazy("e-mail"), "address": _lazy("address")}


@register.filter
def show(value: Any) -> str:
    """A shared-field value as text: lists joined, dicts as key: value pairs, booleans as yes/no."""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dict):
        return "; ".join(f"{CONTACT_LABELS.get(k, k)}: {v}" for k, v in value.items() if v not in (None, "", []))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _relief_label(code: Any) -> str:
    from beacon.cases.models import ReliefKind

    return str(dict(ReliefKind.choices).get(code, code))


# How a shared field's stored codes read for people (the API keeps the codes).
_SHARED_DISPLAY = {
    "languages": language_names,
    "citizenship": country_name,
    "gender": lambda v: vlabel(v, "htcds:prs_Gender"),
    "trafficking_status": lambda v: vlabel(v, "htcds:vic_TraffickingStatus"),
    "exploitation_types": lambda v: vlabels(v, "htcds:vic_TypeOfExploitation"),
    "service_needs": lambda v: vlabels(v, "service_category"),
    "relief": lambda v: ", ".join(_relief_label(code) for code in (v or [])),
}


@register.filter
def shared_display(item: dict[str, Any]) -> str:
    """A shared field ({field, value}) with human labels: language and country names, vocabulary labels."""
    field, value = item.get("field"), item.get("value")
    if field == "birth_date":
        from beacon.web.templatetags.staff_dates import staff_date

        return staff_date(value)
    display = _SHARED_DISPLAY.get(field)
    return display(value) if display else show(value)


@register.filter
def phone_display(value: Any) -> str:
    """ "+13125550100" -> "(312) 555-0100" (US numbers nationally, others internationally)."""
    try:
        number = phonenumbers.parse(str(value or ""), "US")
    except phonenumbers.NumberParseException:
        return str(value or "")
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 1
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


# Notes the services write on a referral's history, as people read them (free-text notes pass through).
_EVENT_NOTES = {
    "consent revoked": _lazy("the survivor withdrew consent"),
    "consent revoked: shared access ended": _lazy("the survivor withdrew consent: sharing ended"),
    "accept refused: consent": _lazy("accept refused: the survivor's consent is no longer in force"),
}


@register.filter
def event_note(note: Any) -> str:
    text = _EVENT_NOTES.get(str(note or ""))
    return str(text) if text is not None else str(note or "")


@register.filter
def shared_field_labels(codes: Any) -> str:
    """Shareable field codes -> their labels ("name", "contact" -> "Name, Contact details")."""
    return ", ".join(str(SHAREABLE_FIELDS[c][0]) if c in SHAREABLE_FIELDS else str(c) for c in (codes or []))
