"""Template helpers: translated labels for stored vocabulary codes."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import template
from django.utils.translation import gettext

from beacon.reference.vocabularies import all_vocabularies

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


@register.filter
def show(value: Any) -> str:
    """A shared-field value as text: lists joined, dicts as key: value pairs, booleans as yes/no."""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)
