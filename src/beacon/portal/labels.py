"""Public wording for coded values, kept here so the portal's own catalog translates all of it."""

from __future__ import annotations

from babel.lists import format_list
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

SERVICE_LABELS = {
    "case_management": _("Case management"),
    "legal_criminal": _("Legal help (criminal)"),
    "legal_civil": _("Legal help (civil)"),
    "legal_immigration": _("Legal help (immigration)"),
    "counseling": _("Counseling and mental health"),
    "health": _("Health care (medical and dental)"),
    "shelter": _("Shelter and housing"),
    "employment": _("Jobs (training and placement)"),
    "financial": _("Money for basic needs and transport"),
    "interpretation": _("Interpretation and translation"),
    "safety_planning": _("Safety planning"),
}

WHEN = [
    ("now", _("It is happening now")),
    ("day", _("In the last 24 hours")),
    ("week", _("In the last week")),
    ("month", _("In the last month")),
    ("earlier", _("Longer ago")),
    ("unknown", _("Don't know")),
]

LOCATION = [
    ("county", _("An Illinois county")),
    ("city", _("An Illinois city or town")),
    ("elsewhere", _("Outside Illinois, or I don't know")),
]

CHILD = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("Don't know"))]

CONTACT = [
    ("codename", _("Only through my codename (anonymous)")),
    ("phone", _("By phone")),
    ("email", _("By e-mail")),
]

# What the reporter sees of the tip's status: plain words, nothing about internal steps.
REPORTER_STATUS = {
    "new": _("Received"),
    "in_review": _("Being reviewed"),
    "awaiting_info": _("We asked you for more information"),
    "assigned": _("Passed to a partner organization"),
    "escalated": _("Passed to a partner organization"),
    "converted": _("Someone is working on it"),
    "closed": _("Closed"),
}


def county_name(name: str) -> str:
    """ "Cook County" in the reader's language: "Condado de Cook", "مقاطعة Cook", "Cook县"."""
    base = name.removesuffix(" County")
    return str(_("%(name)s County") % {"name": base})


def as_list(items: list[str]) -> str:
    """Items joined as the reader's language joins them (CLDR): "a, b y c", "a وb وc", "a、b和c"."""
    items = [str(item) for item in items if item]
    if not items:
        return ""
    return format_list(items, locale=to_locale(get_language() or "en"))
