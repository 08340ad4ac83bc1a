"""Outreach forms: recording an event, and the period of the list."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beacon.outreach import services
from beacon.outreach.models import Audience
from beacon.reference.models import County, Language


class OutreachEventForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.all(), required=False)
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_(
            'A public place or kind of place, e.g. "county fair" or "clinic waiting '
            "room\". Never a person's name or home."
        ),
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages used"), queryset=Language.objects.all(), required=False
    )
    people_reached = forms.IntegerField(label=_("People reached"), min_value=1, max_value=100_000)
    materials_distributed = forms.IntegerField(
        label=_("Materials handed out"), min_value=0, max_value=1_000_000, initial=0
    )
    follow_ups = forms.IntegerField(
        label=_("People who asked for follow-up"),
        min_value=0,
        max_value=100_000,
        initial=0,
        help_text=_("Counts only. Someone who needs help now becomes a tip or a case, not a line here."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Encrypted. Barriers met, partners present, what to change."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        problems = services.outreach_problems(
            held_on=data.get("held_on"), people_reached=data.get("people_reached"), follow_ups=data.get("follow_ups")
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return data


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
