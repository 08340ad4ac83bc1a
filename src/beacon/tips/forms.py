from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beacon.accounts.models import Agency
from beacon.accounts.roles import AgencyType
from beacon.reference.models import County
from beacon.reference.vocabularies import choices
from beacon.tips import urgency
from beacon.tips.models import CloseReason, Status
from beacon.web.forms import choice_field


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
    self_report = forms.BooleanField(label=_("The person it happened to is the one reporting"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields, "exploitation_types").choices = choices("htcds:vic_TypeOfExploitation")


class QueueForm(forms.Form):
    """Search and filters of the triage queue (GET). Every field is optional."""

    q = forms.CharField(
        label=_("Tip id, phone, e-mail or plate"),
        required=False,
        max_length=200,
        help_text=_(
            "Phones, e-mails and plates are matched exactly, in any spelling. The words of a narrative "
            "cannot be searched: narratives are stored encrypted and no word index is kept."
        ),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    level = forms.ChoiceField(label=_("Urgency"), required=False)
    language = forms.ChoiceField(label=_("Language of the tip"), required=False)
    county = forms.ChoiceField(label=_("County"), required=False)
    claimed = forms.ChoiceField(
        label=_("Claimed by"),
        required=False,
        choices=[("", _("Anyone or nobody")), ("me", _("Me")), ("nobody", _("Nobody"))],
    )
    linked = forms.ChoiceField(
        label=_("Linked to other tips"),
        required=False,
        choices=[("", _("Either")), ("yes", _("Linked")), ("no", _("Not linked"))],
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        from django.conf import settings

        super().__init__(*args, **kwargs)
        choice_field(self.fields, "status").choices = [("open", _("Open")), *Status.choices, ("", _("Any status"))]
        choice_field(self.fields, "level").choices = [
            ("", _("Any urgency")),
            *[(c, label) for c, _f, label in urgency.LEVELS],
        ]
        choice_field(self.fields, "language").choices = [("", _("Any language")), *settings.LANGUAGES]
        choice_field(self.fields, "county").choices = [
            ("", _("Any county")),
            *County.objects.values_list("fips", "name"),
        ]


class ClaimForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)
