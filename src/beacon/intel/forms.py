from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beacon.intel import vocab
from beacon.intel.selectors import SORTS
from beacon.reference.models import County

SORT_LABELS = {
    "score": _("Score (highest first)"),
    "size": _("Size (most posts first)"),
    "span": _("Time span (longest first)"),
    "recent": _("Most recently active"),
}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Posts file"),
        help_text=_(
            "CSV with a header row, or JSON Lines (one post per line). Columns: id, source, url, "
            "posted_at, title, body, location, and contact columns such as phone or email."
        ),
    )
    source = forms.CharField(
        label=_("Source name"),
        required=False,
        max_length=100,
        help_text=_("Used for rows without a source column, e.g. the site the posts came from."),
    )
    analyse_after = forms.BooleanField(
        label=_("Analyse all posts when the import finishes"), required=False, initial=True
    )


class NetworkFilterForm(forms.Form):
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[])
    family = forms.ChoiceField(label=_("Flag family"), required=False, choices=[])
    county = forms.ChoiceField(label=_("County"), required=False, choices=[])
    date_from = forms.DateField(label=_("Active from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Active until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = [(k, SORT_LABELS[k]) for k in SORTS]
        self.fields["family"].choices = [("", _("Any")), *vocab.family_choices()]
        self.fields["county"].choices = [("", _("Any")), *County.objects.values_list("fips", "name")]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("'Active from' must be on or before 'Active until'."))
        return data


class PostSearchForm(forms.Form):
    q = forms.CharField(label=_("Text contains"), required=False, max_length=200)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    email = forms.CharField(label=_("E-mail"), required=False, max_length=254)
    flag = forms.ChoiceField(label=_("Red flag"), required=False, choices=[])
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["flag"].choices = [("", _("Any")), *vocab.flag_choices()]

    def clean_phone(self) -> str:
        from beacon.intel.core import normalise_phone

        raw = self.cleaned_data["phone"].strip()
        if raw and not normalise_phone(raw):
            raise forms.ValidationError(_("This does not look like a phone number (use 10 digits, e.g. 312 555 0100)."))
        return raw

    def clean_email(self) -> str:
        from beacon.intel.core import normalise_email

        raw = self.cleaned_data["email"].strip()
        if raw and not normalise_email(raw):
            raise forms.ValidationError(_("This does not look like an e-mail address."))
        return raw
