"""Forms for intake, case edits and the case page's small actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from beacon.accounts.models import Agency
from beacon.cases.models import (
    MAX_AGE,
    NEED_PRIORITIES,
    CaseStatus,
    ConsentKind,
    HhsLetter,
    MilestoneKind,
    PlanItemStatus,
    ReferralSource,
    ReliefKind,
    TraffickingEvent,
)
from beacon.cases.selectors import MAX_PAGE
from beacon.cases.sharing import DEFAULT_SHARED, field_choices
from beacon.directory.models import Provider
from beacon.reference.models import Country, County, Language
from beacon.reference.vocabularies import choices
from beacon.web.forms import choice_field, model_choice_field

BLANK = [("", "---------")]


def vocab(name: str, blank: bool = True) -> list[tuple[str, str]]:
    return (BLANK if blank else []) + [(code, _(label)) for code, label in choices(name)]


def language_choices() -> list[tuple[str, str]]:
    return [(lang.code, str(lang)) for lang in Language.objects.all()]


def country_choices() -> list[tuple[str, str]]:
    return BLANK + [(c.alpha3, str(c)) for c in Country.objects.all()]


def county_choices() -> list[tuple[str, str]]:
    return BLANK + [(c.fips, c.name) for c in County.objects.all()]


class DateInput(forms.DateInput):
    input_type = "date"


class PersonForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    aliases = forms.CharField(label=_("Aliases"), required=False, help_text=_("Separate with commas."))
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput)
    estimated_age = forms.IntegerField(
        label=_("Estimated age"),
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        help_text=_("If the birth date is not known."),
    )
    age_when_trafficked = forms.IntegerField(
        label=_("Age when trafficking began"), required=False, min_value=0, max_value=MAX_AGE
    )
    gender = forms.ChoiceField(label=_("Gender"), required=False)
    languages = forms.MultipleChoiceField(label=_("Languages"), required=False)
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    immigration_status = forms.CharField(label=_("Immigration status"), max_length=200, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields, "gender").choices = vocab("htcds:prs_Gender")
        choice_field(self.fields, "languages").choices = language_choices()
        choice_field(self.fields, "citizenship").choices = country_choices()

    def clean_birth_date(self) -> dt.date | None:
        value = self.cleaned_data.get("birth_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The birth date is in the future."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("given_name") or data.get("family_name") or data.get("aliases")):
            raise forms.ValidationError(_("Give at least a name or an alias (it may be a nickname)."))
        return data


class PersonEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CaseForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CaseStatus.choices, initial=CaseStatus.ACTIVE)
    trafficking_status = forms.ChoiceField(label=_("Trafficking status"), required=False)
    trafficking_status_decided_by = forms.ChoiceField(label=_("Trafficking status decided by"), required=False)
    exploitation_types = forms.MultipleChoiceField(
        label=_("Types of exploitation"), required=False, widget=forms.CheckboxSelectMultiple
    )
    sex_exploitation_types = forms.MultipleChoiceField(
        label=_("Types of sexual exploitation"), required=False, widget=forms.CheckboxSelectMultiple
    )
    polaris_type = forms.ChoiceField(label=_("Polaris type"), required=False)
    industry = forms.ChoiceField(label=_("Industry (ISIC section)"), required=False)
    methods_of_control = forms.MultipleChoiceField(
        label=_("Methods of control"), required=False, widget=forms.CheckboxSelectMultiple
    )
    recruitment_methods = forms.MultipleChoiceField(
        label=_("Methods of recruitment"), required=False, widget=forms.CheckboxSelectMultiple
    )
    recruitment_websites = forms.MultipleChoiceField(
        label=_("Recruitment websites and apps"), required=False, widget=forms.CheckboxSelectMultiple
    )
    relationship_to_trafficker = forms.ChoiceField(label=_("Relationship to trafficker"), required=False)
    referral_source = forms.ChoiceField(
        label=_("Referred by"), required=False, choices=[("", "—"), *ReferralSource.choices]
    )
    county = forms.ChoiceField(label=_("County"), required=False)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea)
    closure_reason = forms.CharField(label=_("Closure reason"), max_length=200, required=False)
    living_situation_at_closure = forms.CharField(
        label=_("Living situation at closure"), max_length=120, required=False
    )
    hhs_letter = forms.ChoiceField(
        label=_("HHS certification or eligibility letter"), required=False, choices=[("", "—"), *HhsLetter.choices]
    )
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        choice_field(f, "trafficking_status").choices = vocab("htcds:vic_TraffickingStatus")
        choice_field(f, "trafficking_status_decided_by").choices = vocab("htcds:vic_TraffickingStatusDecisionMakingOrg")
        choice_field(f, "exploitation_types").choices = vocab("htcds:vic_TypeOfExploitation", blank=False)
        choice_field(f, "sex_exploitation_types").choices = vocab("htcds:vic_TypeOfSexExploitation", blank=False)
        choice_field(f, "polaris_type").choices = vocab("polaris")
        choice_field(f, "industry").choices = vocab("htcds:vic_ForcedLabourIndustry")
        choice_field(f, "methods_of_control").choices = vocab("htcds:vic_MethodsOfControl", blank=False)
        choice_field(f, "recruitment_methods").choices = vocab("htcds:vic_MethodOfRecruitment", blank=False)
        choice_field(f, "recruitment_websites").choices = vocab("htcds:vic_RecruitmentWebsitesAndApps", blank=False)
        choice_field(f, "relationship_to_trafficker").choices = vocab("htcds:vic_RelationshipToTrafficker")
        choice_field(f, "county").choices = county_choices()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("status") in (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED) and not data.get("closure_reason"):
            self.add_error("closure_reason", _("Give a closure reason when closing a case."))
        return data


class IntakeForm(PersonForm, CaseForm):
    # Unticked by default: a consent is recorded only when the survivor gave it.
    consent_services = forms.BooleanField(label=_("The survivor consents to receiving services"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("closure_reason", "outcome", "status"):
            self.fields.pop(name)


class EditCaseForm(CaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class OwnerForm(forms.Form):
    """Assign or reassign a case: one of the agency's caseworkers, shown with their open caseload."""

    owner = forms.TypedChoiceField(
        label=_("Caseworker"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the caseworker who will own the case."),
            "invalid_choice": _("Choose a caseworker of the case's agency from the list."),
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, owners: list[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields, "owner").choices = [
            (
                o.user.pk,
                ngettext("%(name)s · %(n)s open case", "%(name)s · %(n)s open cases", o.open_cases)
                % {"name": o.label, "n": o.open_cases},
            )
            for o in owners
        ]


class NoteForm(forms.Form):
    body = forms.CharField(label=_("New note"), widget=forms.Textarea, max_length=20_000)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF or image, up to 10 MB)"))


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Consent to"), choices=ConsentKind.choices)
    agency = forms.ModelChoiceField(
        label=_("Agency (for a referral)"), queryset=Agency.objects.filter(is_active=True), required=False
    )
    method = forms.ChoiceField(
        label=_("How it was given"),
        choices=[("verbal", _("Verbal")), ("written", _("Written")), ("guardian", _("By parent or guardian"))],
    )
    expires_on = forms.DateField(
        label=_("Expires on (optional)"),
        required=False,
        widget=DateInput,
        help_text=_("The last day the consent holds. After it, sharing based on it ends as if revoked."),
    )
    witness = forms.CharField(label=_("Witnessed by (optional)"), required=False, max_length=200)
    scope_fields = forms.MultipleChoiceField(
        label=_("For a referral: the fields the survivor agrees may be shared"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=DEFAULT_SHARED,
        help_text=_("A referral can carry only these. Untick what the survivor does not want shared."),
    )
    signed_form = forms.FileField(label=_("Signed form (optional; PDF or image, up to 10 MB)"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields, "scope_fields").choices = field_choices()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == ConsentKind.REFERRAL and not data.get("agency"):
            self.add_error("agency", _("Name the agency the survivor agrees to be referred to."))
        return data


class NeedForm(forms.Form):
    category = forms.ChoiceField(label=_("Service needed"))
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("urgent", _("Urgent")), ("normal", _("Normal")), ("low", _("Low"))],
        initial="normal",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields, "category").choices = vocab("service_category", blank=False)


class GoalForm(forms.Form):
    text = forms.CharField(label=_("Goal"), max_length=500)


class PlanItemForm(forms.Form):
    category = forms.ChoiceField(label=_("Service"))
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=None, required=False)
    start_date = forms.DateField(label=_("Start"), required=False, widget=DateInput)
    due_date = forms.DateField(label=_("Due"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields, "category").choices = vocab("service_category", blank=False)
        model_choice_field(self.fields, "provider").queryset = Provider.objects.filter(is_active=True)


class PlanItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PlanItemStatus.choices)
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=2000)


class ReliefForm(forms.Form):
    kind = forms.ChoiceField(label=_("Immigration relief"), choices=ReliefKind.choices)


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("Milestone"), choices=MilestoneKind.choices)
    due_date = forms.DateField(label=_("Due"), required=False, widget=DateInput)
    reached_on = forms.DateField(label=_("Reached on"), required=False, widget=DateInput)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    due_date = forms.DateField(label=_("Due"), widget=DateInput)


class EventForm(forms.Form):
    type = forms.ChoiceField(label=_("Stage"), choices=TraffickingEvent.Type.choices)
    start_date = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end_date = forms.DateField(label=_("To"), required=False, widget=DateInput)
    county = forms.ModelChoiceField(label=_("Illinois county"), queryset=County.objects.all(), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    description = forms.CharField(label=_("What happened"), required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields, "country").choices = country_choices()


class PerpetratorForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    relationship = forms.ChoiceField(label=_("Relationship to survivor"), required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields, "role").choices = vocab("htcds:per_RoleInProcess", blank=False)
        choice_field(self.fields, "relationship").choices = vocab("htcds:vic_RelationshipToTrafficker")


class ReferralForm(forms.Form):
    to_agency = forms.ModelChoiceField(label=_("Refer to agency"), queryset=Agency.objects.none())
    service = forms.ChoiceField(label=_("Service"))
    shared_fields = forms.MultipleChoiceField(
        label=_("Fields to share (minimum necessary)"), widget=forms.CheckboxSelectMultiple, initial=DEFAULT_SHARED
    )
    reason = forms.ChoiceField(label=_("Reason"))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=NEED_PRIORITIES, initial="normal", required=False)
    message = forms.CharField(
        label=_("Message to the receiving agency"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The receiving agency reads this before it accepts: say what is needed and when, "
            "without names, contact details or the survivor's story."
        ),
    )

    def __init__(self, *args, own_agency_id: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self.fields, "to_agency").queryset = Agency.objects.filter(is_active=True).exclude(
            pk=own_agency_id
        )
        choice_field(self.fields, "service").choices = vocab("service_category", blank=False)
        choice_field(self.fields, "shared_fields").choices = field_choices()
        choice_field(self.fields, "reason").choices = vocab("htcds:cas_ReasonForOutgoingReferral", blank=False)

    def clean_urgency(self) -> str:
        return self.cleaned_data.get("urgency") or "normal"


class ReferralMessageForm(forms.Form):
    body = forms.CharField(label=_("New message"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason for declining"), max_length=300)


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("Case id, person id or full name"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[*BLANK, ("open", _("Open (active or follow-up)")), *CaseStatus.choices],
    )
    type = forms.ChoiceField(label=_("Type of exploitation"), required=False)
    county = forms.ChoiceField(label=_("County"), required=False)
    owner = forms.CharField(label=_("Owner (user name, “me” or “none”)"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields, "type").choices = vocab("htcds:vic_TypeOfExploitation")
        choice_field(self.fields, "county").choices = county_choices()
