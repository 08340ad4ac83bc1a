from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beacon.intel import core, vocab
from beacon.intel.selectors import SORTS
from beacon.reference.models import County
from beacon.web.forms import choice_field

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
            "CSV with a header row, or JSON Lines (one post per line). Columns such as id (or post_id), "
            "body (or text), date, title, location, and contact columns such as phone or email. You "
            "check the columns and the first rows before anything is loaded."
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
        choice_field(self.fields, "sort").choices = [(k, SORT_LABELS[k]) for k in SORTS]
        choice_field(self.fields, "family").choices = [("", _("Any")), *vocab.family_choices()]
        choice_field(self.fields, "county").choices = [("", _("Any")), *County.objects.values_list("fips", "name")]

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
        choice_field(self.fields, "flag").choices = [("", _("Any")), *vocab.flag_choices()]

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        if raw and not core.normalise_phone(raw):
            raise forms.ValidationError(_("This does not look like a phone number (use 10 digits, e.g. 312 555 0100)."))
        return raw

    def clean_email(self) -> str:
        raw = self.cleaned_data["email"].strip()
        if raw and not core.normalise_email(raw):
            raise forms.ValidationError(_("This does not look like an e-mail address."))
        return raw


# The zones of the sources Beacon's analysts meet most (US exports, Mexican and Central American
# boards); times written without an offset are read in the chosen one.
TIME_ZONES = [
    ("America/Chicago", _("Central time (Chicago)")),
    ("America/New_York", _("Eastern time (New York)")),
    ("America/Denver", _("Mountain time (Denver)")),
    ("America/Phoenix", _("Arizona (no daylight saving)")),
    ("America/Los_Angeles", _("Pacific time (Los Angeles)")),
    ("America/Anchorage", _("Alaska")),
    ("Pacific/Honolulu", _("Hawaii")),
    ("America/Mexico_City", _("Mexico City")),
    ("America/Guatemala", _("Central America (Guatemala)")),
    ("UTC", _("UTC")),
]

# form field -> core field
MAPPED_FIELDS = {
    "id_column": "id",
    "body_column": "body",
    "title_column": "title",
    "date_column": "posted_at",
    "location_column": "location",
    "url_column": "url",
    "source_column": "source",
}


class ImportMappingForm(forms.Form):
    """Which column holds what, checked against a preview of the first rows before loading."""

    id_column = forms.ChoiceField(label=_("Post id column"), required=False)
    body_column = forms.ChoiceField(label=_("Text column"), required=False)
    title_column = forms.ChoiceField(label=_("Title column"), required=False)
    date_column = forms.ChoiceField(label=_("Date column"), required=False)
    location_column = forms.ChoiceField(label=_("Place column"), required=False)
    url_column = forms.ChoiceField(label=_("Link column"), required=False)
    source_column = forms.ChoiceField(label=_("Source column"), required=False)
    contact_columns = forms.MultipleChoiceField(
        label=_("Contact columns"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Columns holding phones, e-mails or handles. None ticked: columns with a contact name are read."),
    )
    source_tz = forms.ChoiceField(
        label=_("Time zone of the dates"),
        choices=TIME_ZONES,
        help_text=_("Dates written without a time zone are read in this one; the pages show Chicago time."),
    )
    source = forms.CharField(
        label=_("Source name"),
        required=False,
        max_length=100,
        help_text=_("Used for rows without a source column, e.g. the site the posts came from."),
    )

    def __init__(self, *args, header: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        columns = [(h, h) for h in header]
        for name in MAPPED_FIELDS:
            choice_field(self.fields, name).choices = [("", _("(none)")), *columns]
        choice_field(self.fields, "contact_columns").choices = columns
        if self.initial.get("source_tz") not in dict(TIME_ZONES):
            choice_field(self.fields, "source_tz").choices = [
                (self.initial["source_tz"], self.initial["source_tz"]),
                *TIME_ZONES,
            ]

    @staticmethod
    def initial_for(fields: dict[str, str], contacts: tuple[str, ...], tz: str, source: str) -> dict:
        """The form as the file was read: recognised columns pre-selected."""
        initial = {name: fields.get(core_field, "") for name, core_field in MAPPED_FIELDS.items()}
        return {**initial, "contact_columns": list(contacts), "source_tz": tz, "source": source}

    def clean(self):
        data = super().clean()
        chosen = [data.get(name) for name in MAPPED_FIELDS if data.get(name)]
        doubled = sorted({c for c in chosen if chosen.count(c) > 1})
        if doubled:
            raise forms.ValidationError(
                _("A column can hold only one field: %(columns)s is chosen twice.") % {"columns": ", ".join(doubled)}
            )
        if not data.get("id_column"):
            self.add_error("id_column", _("Choose the column that holds each post's id."))
        return data

    def mapping(self) -> core.ColumnMapping:
        d = self.cleaned_data
        return core.ColumnMapping(
            # a field left at "(none)" is not read, rather than looked up under its aliases
            columns={f: d.get(name) or "" for name, f in MAPPED_FIELDS.items()},
            contacts=tuple(d.get("contact_columns") or ()),
            tz=d["source_tz"],
        )
