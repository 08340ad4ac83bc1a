from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beacon.lifecycle.services import REASON_MAX


class HoldForm(forms.Form):
    kind = forms.ChoiceField(label=_("Record"), choices=[("case", _("Case")), ("tip", _("Tip"))])
    public_id = forms.CharField(label=_("Case or tip id"), max_length=20)
    reason = forms.CharField(
        label=_("Reason for the hold"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The matter, court order or request the hold answers. Stored encrypted."),
    )


class ReleaseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for releasing"), max_length=REASON_MAX, required=False)


class EraseLookupForm(forms.Form):
    case = forms.CharField(label=_("Case id"), max_length=20)


class EraseForm(forms.Form):
    confirm = forms.CharField(
        label=_("Type the case id to confirm"),
        max_length=20,
        help_text=_("This cannot be undone."),
    )
