"""Matter forms: the matter itself, a subject, the designated contact, and the list's filter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beacon.accounts.models import User
from beacon.matters.deconfliction import MATTER_ROLES
from beacon.matters.models import MatterStatus, SubjectKind
from beacon.reference.models import County
from beacon.reference.vocabularies import choices
from beacon.web.forms import choice_field, model_choice_field


class MatterForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("Kept encrypted. Other agencies never see it, even when a subject matches."),
    )
    exploitation_type = forms.ChoiceField(label=_("Type of exploitation"))
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.all(), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=MatterStatus.choices, initial=MatterStatus.OPEN)
    lead = forms.ModelChoiceField(label=_("Lead investigator"), queryset=User.objects.none(), required=False)
    confidential = forms.BooleanField(
        label=_("Confidential: notify our contact only, do not name us"),
        required=False,
        help_text=_(
            "When another agency's subject matches this matter, it is told only that a match exists and "
            "that the task-force coordinator will contact it."
        ),
    )

    def __init__(self, *args, agency_id: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields, "exploitation_type").choices = [
            ("", _("Choose a type")),
            *choices("htcds:vic_TypeOfExploitation"),
        ]
        model_choice_field(self.fields, "lead").queryset = User.objects.filter(
            agency_id=agency_id, is_active=True, role__in=MATTER_ROLES
        ).order_by("last_name", "first_name")


class SubjectForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of subject"), choices=SubjectKind.choices)
    value = forms.CharField(
        label=_("Name, number or address"),
        max_length=300,
        help_text=_("Compared with other agencies' records by a keyed hash only; they never see the value."),
    )
    note = forms.CharField(
        label=_("Note (only your agency sees it)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any")), *MatterStatus.choices])


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name (a person or a desk)"), max_length=120)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    user = forms.ModelChoiceField(
        label=_("Staff account that receives the in-app notices"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, agency_id: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self.fields, "user").queryset = User.objects.filter(
            agency_id=agency_id, is_active=True
        ).order_by("last_name", "first_name")
