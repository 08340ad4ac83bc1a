"""Typed access to a form's fields, for forms that fill in their choices when they are built."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms


def choice_field(fields: Mapping[str, forms.Field], name: str) -> forms.ChoiceField:
    """`fields[name]` as the choice field it is (a form's `fields` or a form class's `base_fields`)."""
    field = fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is a {type(field).__name__}, not a choice field")
    return field


def model_choice_field(fields: Mapping[str, forms.Field], name: str) -> forms.ModelChoiceField:
    """`fields[name]` as the model choice field it is (single or multiple)."""
    field = fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is a {type(field).__name__}, not a model choice field")
    return field
