"""Template helpers: translated labels for the codes a screening result carries."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from beacon.reference.vocabularies import all_vocabularies

register = template.Library()

LABELS = {
    # dimensions and elements
    "positive": _("positive"),
    "negative": _("not positive"),
    "met": _("met"),
    "not-met": _("not met"),
    "unknown": _("unknown"),
    # findings
    "found": _("found"),
    "possible": _("possible"),
    "absent": _("absent"),
    # immigration pre-screen
    "needs-more-information": _("needs more information"),
    "not-indicated": _("not indicated"),
    "needs-federal-sponsor": _("needs a federal law-enforcement sponsor"),
    "screening": _("the screener"),
    "legal-elements-screen": _("the US legal-elements screen"),
    "attorney": _("an attorney"),
    "t_visa": _("T visa"),
    "continued_presence": _("Continued Presence"),
    "u_visa": _("U visa"),
    # answers
    "yes": _("Yes"),
    "no": _("No"),
    "declined": _("Declined to answer"),
    # unconfirmed facts
    "instrument": _("instrument"),
    "population": _("population"),
    "item": _("indicator"),
    "rule": _("rule"),
    "statute": _("statute"),
}


@register.filter
def slabel(code: Any) -> str:
    """`{{ dimension.status|slabel }}` -> the translated label of a result code."""
    label = LABELS.get(str(code))
    return str(label) if label is not None else str(code)


@cache
def _services() -> dict[str, str]:
    return {code: label for code, label, _extra in all_vocabularies().get("service_category", [])}


@register.filter
def service_label(code: Any) -> str:
    return gettext(_services().get(str(code), str(code)))


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
