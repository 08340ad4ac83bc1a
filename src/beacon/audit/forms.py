from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beacon.audit.models import AuditAction


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User name"), max_length=150, required=False)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("Any")), *AuditAction.choices])
    object_type = forms.CharField(
        label=_("Object type"), max_length=60, required=False, help_text=_("For example cases.case or accounts.user.")
    )
    object_id = forms.CharField(label=_("Object id"), max_length=40, required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
