"""Forms for starting and finishing a screening. Answers are radio groups rendered per question."""

from __future__ import annotations

import secrets

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from beacon.screening.models import Mode

ANSWER_LABELS = {
    "yes": _("Yes"),
    "no": _("No"),
    "unknown": _("Don't know"),
    "declined": _("Declined to answer"),
}


def language_choices() -> list[tuple[str, str]]:
    return [(code, name) for code, name in settings.LANGUAGES]


class StartForm(forms.Form):
    plan = forms.ChoiceField(label=_("Instrument and population"),
                             help_text=_("Which list of indicators, and for whom."))
    language = forms.ChoiceField(label=_("Interview language"), choices=language_choices,
                                 help_text=_("Questions are shown in this language; where the instrument has no "
                                             "text in it, in English, marked as such."))
    mode = forms.ChoiceField(label=_("How to ask"), choices=Mode.choices, initial=Mode.ONE_AT_A_TIME,
                             widget=forms.RadioSelect)
    immediate_danger = forms.BooleanField(label=_("Someone is in immediate danger"), required=False)
    minor = forms.BooleanField(label=_("The person is under 18"), required=False)
    foreign_national = forms.BooleanField(label=_("The person is a foreign national"), required=False)
    case = forms.CharField(required=False, widget=forms.HiddenInput)
    tip = forms.CharField(required=False, widget=forms.HiddenInput)
    request_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, plans: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = plans
        if not self.is_bound:
            self.initial.setdefault("request_key", secrets.token_urlsafe(24))

    def clean(self):
        data = super().clean()
        if not data.get("case") and not data.get("tip"):
            raise forms.ValidationError(_("Open the screening from a case or a tip."))
        return data


class ReviewForm(forms.Form):
    immediate_danger = forms.BooleanField(label=_("Someone is in immediate danger"), required=False)
    minor = forms.BooleanField(label=_("The person is under 18"), required=False)
    foreign_national = forms.BooleanField(label=_("The person is a foreign national"), required=False)
    notes = forms.CharField(label=_("Interviewer's notes"), required=False, max_length=10000,
                            widget=forms.Textarea(attrs={"rows": 5}),
                            help_text=_("Kept encrypted. Not shared with other agencies."))


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Interview language"), choices=language_choices)
