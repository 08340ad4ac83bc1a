"""Select and radio widgets rendered in Python: the tip form has a hundred counties and thirty radio
buttons, and rendering each option through a template made the form several times slower."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def _selected(value: Any) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return {str(value)}


class FastSelect(forms.Select):
    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = _selected(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((str(v), mark_safe(" selected") if str(v) in chosen else "", label) for v, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class FastRadioSelect(forms.RadioSelect):
    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        base_id = final.pop("id", f"id_{name}")
        final.pop("required", None)
        chosen = _selected(value)
        parts = []
        for index, (choice, label) in enumerate(self.choices):
            input_id = f"{base_id}_{index}"
            checked = mark_safe(" checked") if str(choice) in chosen else ""
            parts.append(
                format_html(
                    '<span class="radio"><input type="radio" name="{}" value="{}" id="{}"{}{}> '
                    '<label for="{}">{}</label></span>',
                    name,
                    str(choice),
                    input_id,
                    checked,
                    flatatt(final),
                    input_id,
                    label,
                )
            )
        return mark_safe("".join(parts))

    def id_for_label(self, id_: str, index: str = "0") -> str:
        return id_
