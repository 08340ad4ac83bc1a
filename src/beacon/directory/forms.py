"""Directory forms: entry editing, search, matching and CSV import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beacon.directory.models import Population
from beacon.reference.models import County, Language
from beacon.reference.vocabularies import choices
from beacon.web.forms import choice_field

BLANK = [("", "---------")]


def service_choices(blank: bool = False) -> list[tuple[str, str]]:
    return (BLANK if blank else []) + [(c, _(label)) for c, label in choices("service_category")]


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    services = forms.MultipleChoiceField(label=_("Services offered"), widget=forms.CheckboxSelectMultiple)
    subtypes = forms.CharField(
        label=_("Service subtypes"),
        required=False,
        help_text=_(
            "Optional, as service:subtype separated by semicolons, e.g. shelter:emergency; legal_immigration:T visa"
        ),
    )
    statewide = forms.BooleanField(label=_("Serves all of Illinois"), required=False)
    counties = forms.ModelMultipleChoiceField(label=_("Counties served"), queryset=County.objects.all(), required=False)
    languages = forms.ModelMultipleChoiceField(label=_("Languages"), queryset=Language.objects.all(), required=False)
    populations = forms.MultipleChoiceField(
        label=_("Populations served"), choices=Population.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    accepting_new_clients = forms.BooleanField(label=_("Accepting new clients"), required=False, initial=True)
    capacity = forms.IntegerField(label=_("Open places"), required=False, min_value=0)
    hours = forms.CharField(label=_("Hours"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    is_public = forms.BooleanField(label=_("Show on the public portal"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields, "services").choices = service_choices()

    def clean(self) -> dict:
        data = super().clean()
        pairs = [(code, "") for code in data.get("services") or []]
        for item in (data.get("subtypes") or "").split(";"):
            if item.strip():
                code, _sep, subtype = item.strip().partition(":")
                if code not in dict(service_choices()):
                    self.add_error("subtypes", _("Unknown service “%(code)s”.") % {"code": code})
                pairs.append((code, subtype.strip()))
        data["service_pairs"] = pairs
        return data


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    service = forms.ChoiceField(label=_("Service"), required=False)
    county = forms.ModelChoiceField(
        label=_("County"), queryset=County.objects.all(), required=False, to_field_name="fips"
    )
    language = forms.ModelChoiceField(
        label=_("Language"), queryset=Language.objects.all(), required=False, to_field_name="code"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields, "service").choices = service_choices(blank=True)


class MatchForm(forms.Form):
    service = forms.ChoiceField(label=_("Service needed"))
    county = forms.ModelChoiceField(
        label=_("County"), queryset=County.objects.all(), required=False, to_field_name="fips"
    )
    language = forms.ModelChoiceField(
        label=_("Language"), queryset=Language.objects.all(), required=False, to_field_name="code"
    )
    populations = forms.MultipleChoiceField(
        label=_("The survivor is"), choices=Population.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    case = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields, "service").choices = service_choices()


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, with a header row; columns as in the export."))
