from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beacon.accounts.models import Agency
from beacon.accounts.roles import AgencyType
from beacon.tips.models import CloseReason


class AssignForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.filter(is_active=True))


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to the reporter"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    request_info = forms.BooleanField(label=_("This asks for more information"), required=False)


class EscalateForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Law-enforcement agency"),
        queryset=Agency.objects.filter(is_active=True, type=AgencyType.LAW_ENFORCEMENT),
    )
    share_identity = forms.BooleanField(
        label=_("Share the reporter's contact details (only with their consent)"), required=False
    )


class CloseForm(forms.Form):
    # No reason is preselected: closing asks the worker to choose one on its own page.
    reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[("", _("Choose a reason")), *CloseReason.choices],
        error_messages={"required": _("Choose a reason for closing.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ClassifyForm(forms.Form):
    exploitation_types = forms.MultipleChoiceField(
        label=_("Type of exploitation this tip suggests"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs) -> None:
        from beacon.reference.vocabularies import choices

        super().__init__(*args, **kwargs)
        self.fields["exploitation_types"].choices = choices("htcds:vic_TypeOfExploitation")
