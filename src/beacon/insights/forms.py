"""Dashboard filters and release forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from beacon.insights.selectors import Filters, Viewer, agencies_for_filter, default_filters
from beacon.reference.models import County
from beacon.web.forms import choice_field

MAX_PERIOD_DAYS = 366 * 10
MAX_MONTHLY_DAYS = 366 * 3


class FilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    granularity = forms.ChoiceField(
        label=_("Group by"), required=False, choices=[("quarter", _("Quarter")), ("month", _("Month"))]
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    agency = forms.TypedChoiceField(label=_("Agency"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        counties = [(fips, name) for fips, name in County.objects.order_by("name").values_list("fips", "name")]
        choice_field(self.fields, "region").choices = [
            ("", _("All of Illinois")),
            ("chicago_metro", _("Chicago metro")),
            ("rest", _("Rest of Illinois")),
            (_("Counties"), counties),
        ]
        if viewer.statewide:
            choice_field(self.fields, "agency").choices = [("", _("All agencies")), *agencies_for_filter(viewer)]
        else:
            del self.fields["agency"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date is before the start date."))
        if start and end and (end - start).days > MAX_PERIOD_DAYS:
            raise forms.ValidationError(_("Choose a period of at most ten years."))
        if start and end and data.get("granularity") == "month" and (end - start).days > MAX_MONTHLY_DAYS:
            raise forms.ValidationError(_("Group by quarter for periods longer than three years."))
        return data

    def filters(self) -> Filters:
        """The filters chosen, or the defaults (the last two years) for anything left out or invalid."""
        default = default_filters()
        if not self.is_valid():
            return default
        data = self.cleaned_data
        end = data.get("end") or default.end
        start = data.get("start") or (default.start if end == default.end else dt.date(end.year - 2, end.month, 1))
        return Filters(
            start=start,
            end=end,
            granularity=data.get("granularity") or "quarter",
            region=data.get("region") or "",
            agency_id=data.get("agency"),
        )


class ReleaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("dp", _("Differentially private counts")), ("synthetic", _("Synthetic microdata (CTDC layout)"))],
    )
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    epsilon = forms.FloatField(
        label=_("Epsilon to spend"),
        min_value=0.01,
        max_value=10.0,
        initial=1.0,
        help_text=_("Privacy budget this release uses; it cannot be spent again."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end date is before the start date."))
        return data


class FederalForm(forms.Form):
    report = forms.ChoiceField(
        label=_("Report"),
        choices=[
            ("ovc", _("OVC semiannual client counts")),
            ("closure", _("Closure summary (HHS style)")),
            ("nibrs", _("NIBRS 64A/64B counts")),
        ],
    )
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end date is before the start date."))
        return data
