"""Forms for starting and finishing a screening. Answers are radio groups rendered per question."""

from __future__ import annotations

import secrets

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from beacon.screening.models import Interpreter, Mode
from beacon.web.forms import choice_field

ANSWER_LABELS = {
    "yes": _("Yes"),
    "no": _("No"),
    "unknown": _("Don't know"),
    "declined": _("Declined to answer"),
}


def language_choices() -> list[tuple[str, str]]:
    return [(code, name) for code, name in settings.LANGUAGES]


class StartForm(forms.Form):
    plan = forms.ChoiceField(
        label=_("Instrument and population"), help_text=_("Which list of indicators, and for whom.")
    )
    language = forms.ChoiceField(
        label=_("Interview language"),
        choices=language_choices,
        help_text=_(
            "Questions are shown in this language; where the instrument has no text in it, in English, marked as such."
        ),
    )
    mode = forms.ChoiceField(
        label=_("How to ask"), choices=Mode.choices, initial=Mode.ONE_AT_A_TIME, widget=forms.RadioSelect
    )
    immediate_danger = forms.BooleanField(label=_("Someone is in immediate danger"), required=False)
    minor = forms.BooleanField(label=_("The person is under 18"), required=False)
    foreign_national = forms.BooleanField(label=_("The person is a foreign national"), required=False)
    case = forms.CharField(required=False, widget=forms.HiddenInput)
    tip = forms.CharField(required=False, widget=forms.HiddenInput)
    request_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, plans: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields, "plan").choices = plans
        if not self.is_bound:
            self.initial.setdefault("request_key", secrets.token_urlsafe(24))

    def clean(self):
        data = super().clean()
        if not data.get("case") and not data.get("tip"):
            raise forms.ValidationError(_("Open the screening from a case or a tip."))
        return data


COMPANION = "companion"


class SafetyForm(forms.Form):
    """The safety and consent step asked before the first question."""

    safe_to_talk = forms.ChoiceField(
        label=_("Is it safe to talk now?"),
        widget=forms.RadioSelect,
        choices=[("yes", _("Yes, the person says it is safe to talk now")), ("no", _("No, or the person is not sure"))],
        help_text=_("Ask in private, away from whoever brought the person or may control them."),
    )
    interpreter = forms.ChoiceField(
        label=_("Interpreter"),
        widget=forms.RadioSelect,
        required=False,
        choices=[*Interpreter.choices, (COMPANION, _("The person who brought them would interpret"))],
        help_text=_("Only an independent interpreter, never the person who brought them."),
    )
    confidentiality_explained = forms.BooleanField(
        required=False,
        label=_(
            "I explained the limits of confidentiality: what is recorded is read by the staff of "
            "the agencies who work on the case, and suspected abuse or trafficking of a child "
            "is reported to the Illinois DCFS hotline by mandated reporters."
        ),
    )
    right_to_stop_explained = forms.BooleanField(
        required=False,
        label=_("I explained that the person may refuse any question, take a break or stop at any time."),
    )
    agreed_to_continue = forms.BooleanField(required=False, label=_("The person agrees to continue."))

    def clean(self):
        data = super().clean()
        if data.get("safe_to_talk") != "yes":
            return data
        if data.get("interpreter") == COMPANION:
            self.add_error(
                "interpreter",
                _(
                    "Do not interpret through the person who brought them: stop and get an "
                    "independent interpreter, in person or by phone, before any question."
                ),
            )
        elif not data.get("interpreter"):
            self.add_error("interpreter", _("Say whether an interpreter is needed."))
        for name, error in (
            ("confidentiality_explained", _("Explain the limits of confidentiality before the questions.")),
            ("right_to_stop_explained", _("Explain the right to stop before the questions.")),
            ("agreed_to_continue", _("Ask whether the person agrees to continue.")),
        ):
            if not data.get(name):
                self.add_error(name, error)
        return data


class ReviewForm(forms.Form):
    immediate_danger = forms.BooleanField(label=_("Someone is in immediate danger"), required=False)
    minor = forms.BooleanField(label=_("The person is under 18"), required=False)
    foreign_national = forms.BooleanField(label=_("The person is a foreign national"), required=False)
    notes = forms.CharField(
        label=_("Interviewer's notes"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Kept encrypted. Not shared with other agencies."),
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Interview language"), choices=language_choices)
