"""The public tip form and the codename follow-up forms. Every message is in the portal's catalog."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms.boundfield import BoundField
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from beacon.portal import labels
from beacon.portal.widgets import FastRadioSelect, FastSelect
from beacon.tips import photos as photo_tools
from beacon.tips.models import ChildInvolved, ContactPreference, LocationKind, When
from beacon.tips.services import TipInput

MAX_TEXT = 10_000
MAX_SHORT = 500
MAX_PHOTOS = 5
# Control characters other than tab and line breaks mean binary data, not words.
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

REQUIRED = _("Please fill in this field.")
TOO_LONG = _("This is too long: please shorten it to %(limit_value)d characters or fewer.")
INVALID_CHOICE = _("Please choose one of the options.")
BINARY = _("This field contains characters that are not text. Please type plain words.")
NOT_IMAGE = _("One of the files is not a photo we can open. Please send JPEG, PNG, GIF or WebP photos.")
TOO_MANY_PHOTOS = _("You can send up to 5 photos.")
PHOTO_TOO_BIG = _("One of the photos is larger than 8 MB. Please send a smaller photo.")
CONTACT_NEEDED = _("Please give the phone number or e-mail address where we may contact you.")
BAD_PHONE = _("This does not look like a phone number.")
BAD_EMAIL = _("This does not look like an e-mail address.")


def _messages(**extra: Any) -> dict[str, Any]:
    return {"required": REQUIRED, "max_length": TOO_LONG, "invalid_choice": INVALID_CHOICE, **extra}


def clean_text(value: str) -> str:
    if value and _BINARY.search(value):
        raise forms.ValidationError(BINARY, code="binary")
    return (value or "").strip()


def split_lines(value: str, limit: int = 20) -> list[str]:
    parts = [p.strip() for p in re.split(r"[\n;,]+", value or "") if p.strip()]
    return parts[:limit]


class TextField(forms.CharField):
    """A text field that refuses binary junk with a message people understand."""

    def __init__(self, *, max_length: int = MAX_SHORT, textarea: bool = False, rows: int = 3, **kwargs: Any):
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", _messages())
        if textarea:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(max_length=max_length, strip=False, **kwargs)

    def clean(self, value: Any) -> str:
        clean_text(value if isinstance(value, str) else "")  # binary first: before Django's own checks
        return clean_text(super().clean(value))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", _messages(invalid=NOT_IMAGE, empty=NOT_IMAGE))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[bytes]:
        """The uploads' bytes, checked from their headers only: decoding waits for `decode_photos`,
        which the view calls once the request has passed its token and rate-limit checks."""
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(TOO_MANY_PHOTOS, code="too_many")
        checked: list[bytes] = []
        for upload in files:
            if not isinstance(upload, UploadedFile):
                raise forms.ValidationError(NOT_IMAGE, code="invalid")
            if upload.size and upload.size > photo_tools.MAX_UPLOAD_BYTES:
                raise forms.ValidationError(PHOTO_TOO_BIG, code="too_big")
            data_ = upload.read()
            try:
                photo_tools.check_header(data_)
            except photo_tools.NotAnImage:
                raise forms.ValidationError(NOT_IMAGE, code="not_image") from None
            checked.append(data_)
        return checked


def decode_photos(form: forms.Form) -> bool:
    """Re-encode a valid form's photos without their metadata (the costly step); False, with the
    error on the form, if one cannot be decoded after all."""
    try:
        form.cleaned_data["photos"] = [photo_tools.clean(data) for data in form.cleaned_data.get("photos") or []]
    except photo_tools.NotAnImage:
        form.add_error("photos", forms.ValidationError(NOT_IMAGE, code="not_image"))
        return False
    return True


def _county_field(choices: list[tuple[str, Any]] | tuple = ()) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Illinois county"), required=False, error_messages=_messages(), widget=FastSelect, choices=choices
    )


# A label that already ends in a question mark or colon of any script takes no colon: Django adds
# ":" unless the label ends in one of ":?.!", so Arabic "؟" and Chinese "？" would get "؟:" and "？:".
_ENDS_A_LABEL = frozenset(":?.!؟？：！。")
_LABEL_SUFFIX = {"zh-hans": "："}  # Chinese takes the full-width colon; the other 12 use ":"


class PortalBoundField(BoundField):
    def label_tag(
        self,
        contents: str | None = None,
        attrs: dict | None = None,
        label_suffix: str | None = None,
        tag: str | None = None,
    ) -> str:
        if label_suffix is None:
            label = str(self.label or "").rstrip()
            if (label and label[-1] in _ENDS_A_LABEL) or self.widget_type == "checkbox":
                label_suffix = ""  # a checkbox's label follows the box: no colon either
            else:
                label_suffix = _LABEL_SUFFIX.get(get_language() or "", ":")
        return super().label_tag(contents, attrs, label_suffix, tag)


class PortalForm(forms.Form):
    bound_field_class = PortalBoundField


class SharedFields(dict):
    """A form class's fields, shared by its forms instead of deep-copied for each one.

    Safe because nothing changes a tip form's fields after the class is built (choices and labels
    are fixed per language, widgets build new attribute dictionaries when they render); copying
    forty fields cost more than validating them.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return dict(self)


class TipForm(PortalForm):
    """What a reporter can tell us. Only "what happened" is required; everything else is optional."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)
    danger_now = forms.BooleanField(
        label=_("Someone is in danger right now"),
        required=False,
        help_text=_("If someone is in danger now, call 911 first. Then you can send this report."),
    )
    narrative = TextField(
        label=_("What happened?"),
        help_text=_("Tell us what you saw or heard, in your own words and in any language."),
        max_length=MAX_TEXT,
        textarea=True,
        rows=8,
        required=True,
    )
    location_kind = forms.ChoiceField(
        label=_("Where did it happen?"),
        choices=labels.LOCATION,
        initial=LocationKind.COUNTY,
        widget=FastRadioSelect,
        error_messages=_messages(),
    )
    county = _county_field()  # given the county list in _tip_form_class
    city = TextField(label=_("City or town in Illinois"), max_length=120)
    place = TextField(
        label=_("Address or place (optional)"),
        help_text=_("For example a street, a business name or a landmark."),
        max_length=MAX_SHORT,
    )
    when = forms.ChoiceField(
        label=_("When did it happen?"),
        choices=labels.WHEN,
        initial=When.UNKNOWN,
        error_messages=_messages(),
        widget=FastSelect,
    )
    when_detail = TextField(label=_("Date or time, if you know it (optional)"), max_length=200)
    people_description = TextField(
        label=_("People involved (optional)"),
        help_text=_("Describe the people: age, clothing, language, what they did."),
        max_length=MAX_TEXT,
        textarea=True,
    )
    names = TextField(label=_("Names (optional)"), max_length=MAX_SHORT, textarea=True, rows=2)
    phones = TextField(
        label=_("Phone numbers (optional)"),
        help_text=_("One per line."),
        max_length=MAX_SHORT,
        textarea=True,
        rows=2,
    )
    emails = TextField(
        label=_("E-mail addresses or online accounts (optional)"),
        help_text=_("One per line."),
        max_length=MAX_SHORT,
        textarea=True,
        rows=2,
    )
    plates = TextField(
        label=_("Vehicle plates (optional)"),
        help_text=_("One per line, with the state if you know it."),
        max_length=MAX_SHORT,
        textarea=True,
        rows=2,
    )
    child_involved = forms.ChoiceField(
        label=_("Is a child (under 18) involved?"),
        choices=labels.CHILD,
        initial=ChildInvolved.UNKNOWN,
        widget=FastRadioSelect,
        error_messages=_messages(),
    )
    photos = PhotosField(
        label=_("Photos (optional)"),
        help_text=_("Up to 5 photos. We remove the hidden location and camera data from every photo."),
    )
    contact_preference = forms.ChoiceField(
        label=_("May we contact you?"),
        choices=labels.CONTACT,
        initial=ContactPreference.CODENAME,
        widget=FastRadioSelect,
        error_messages=_messages(),
        help_text=_("You can stay anonymous. With your codename you can read our replies here."),
    )
    contact_detail = TextField(label=_("Your phone number or e-mail address"), max_length=200)
    consent_law_enforcement = forms.BooleanField(
        label=_("I agree that my contact details may be given to the police if needed"),
        required=False,
        help_text=_(
            "Without this, we do not give your identity to the police, except in an emergency or when the law "
            "requires it to protect a child."
        ),
    )

    checklist_items: tuple[Any, ...] = ()

    @classmethod
    def for_reporter(cls, checklist: list[Any], counties: list[tuple[str, str]]) -> type[TipForm]:
        """The form with these checklist questions (in the reader's language) and county list."""
        return _tip_form_class(tuple(checklist), tuple(counties))

    def checklist_fields(self) -> list[forms.BoundField]:
        return [self[f"flag_{item.id}"] for item in self.checklist_items]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("contact_preference")
        detail = data.get("contact_detail", "")
        if kind in (ContactPreference.PHONE, ContactPreference.EMAIL):
            if not detail:
                self.add_error("contact_detail", CONTACT_NEEDED)
            elif kind == ContactPreference.PHONE and not re.fullmatch(r"[+()\d\s.\-]{7,25}", detail):
                self.add_error("contact_detail", BAD_PHONE)
            elif kind == ContactPreference.EMAIL and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", detail):
                self.add_error("contact_detail", BAD_EMAIL)
        return data

    def tip_input(self, language: str) -> Any:
        d = self.cleaned_data
        kind = d["location_kind"]
        addresses = [d["place"]] if d.get("place") else []
        return TipInput(
            narrative=d["narrative"],
            location_kind=kind,
            county_fips=d.get("county") or None if kind == LocationKind.COUNTY else None,
            place=", ".join(p for p in (d.get("city") if kind == LocationKind.CITY else "", d.get("place")) if p),
            when=d["when"],
            when_detail=d.get("when_detail", ""),
            people={
                "description": d.get("people_description", ""),
                "names": split_lines(d.get("names", "")),
                "phones": split_lines(d.get("phones", "")),
                "emails": split_lines(d.get("emails", "")),
                "plates": split_lines(d.get("plates", "")),
                "addresses": addresses,
            },
            checklist={item.id: d.get(f"flag_{item.id}") or "unknown" for item in self.checklist_items},
            child_involved=d["child_involved"],
            danger_now=bool(d.get("danger_now")),
            contact_preference=d["contact_preference"],
            contact_detail=d.get("contact_detail", ""),
            consent_law_enforcement=bool(d.get("consent_law_enforcement")),
            language=language,
        )


class CodenameForm(PortalForm):
    codename = TextField(
        label=_("Your codename"),
        help_text=_("The words or numbers you were given when you sent your report."),
        max_length=200,
        required=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )


class AddInformationForm(PortalForm):
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    body = TextField(label=_("Add information"), max_length=MAX_TEXT, textarea=True, rows=6, required=True)
    photos = PhotosField(label=_("Photos (optional)"))


@lru_cache(maxsize=64)
def _tip_form_class(checklist: tuple[Any, ...], counties: tuple[tuple[str, str], ...]) -> type[TipForm]:
    fields: dict[str, Any] = {
        "checklist_items": checklist,
        "county": _county_field([("", _("Choose a county")), *counties]),
    }
    for item in checklist:
        fields[f"flag_{item.id}"] = forms.ChoiceField(
            label=item.text,
            choices=labels.CHILD,
            initial="unknown",
            required=False,
            widget=FastRadioSelect,
            error_messages=_messages(),
        )
    form_class = type("TipForm", (TipForm,), fields)
    form_class.base_fields = SharedFields(form_class.base_fields)
    return form_class
