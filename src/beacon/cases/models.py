"""Survivor case management: people, cases, consents, service plans, relief, tasks and referrals.

Codes follow HTCDS 2.0 value names where HTCDS has a list (see beacon.reference.vocabularies).
Personal data is encrypted at rest; exact-match lookups use blind-index columns (`*_bidx`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beacon.crypto.fields import EncryptedJSONField, EncryptedTextField
from beacon.web.models import PublicIdModel, in_code_list

MAX_AGE = 120  # the oldest age a form or the API accepts for a person


class ReferralSource(models.TextChoices):
    """Who referred the survivor (the categories OVC human-trafficking grantees report)."""

    FEDERAL_LE = "federal_le", _("Federal law enforcement")
    STATE_LOCAL_LE = "state_local_le", _("State or local law enforcement")
    COMMUNITY_PROVIDER = "community_provider", _("Community service provider")
    SELF = "self", _("Self-referral")
    HOTLINE = "hotline", _("Hotline or tip line")
    OTHER = "other", _("Other")


class HhsLetter(models.TextChoices):
    """HHS Office on Trafficking in Persons letter: certification (adults) or eligibility (minors)."""

    REQUESTED = "requested", _("Requested")
    CERTIFICATION = "certification", _("Certification letter received")
    ELIGIBILITY = "eligibility", _("Eligibility letter received")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class CaseStatus(models.TextChoices):
    """HTCDS cas_Status."""

    ACTIVE = "Active", _("Active")
    FOLLOW_UP = "FollowUp", _("Follow-up")
    CLOSED = "Closed", _("Closed")
    CLOSED_REFERRED = "ClosedReferred", _("Closed (referred)")


OPEN_STATUSES = (CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP)


class Person(PublicIdModel):
    """A survivor. Names, birth date, contact details and immigration status are encrypted."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="persons")
    given_name = EncryptedTextField(_("given name"), blank=True)
    family_name = EncryptedTextField(_("family name"), blank=True)
    aliases = EncryptedJSONField(_("aliases"), blank=True, null=True)
    birth_date = EncryptedTextField(_("birth date"), blank=True)  # ISO date
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    age_at_intake = models.PositiveSmallIntegerField(null=True, blank=True)
    age_when_trafficked = models.PositiveSmallIntegerField(_("age when trafficked"), null=True, blank=True)
    minor_at_intake = models.BooleanField(default=False)
    minor_when_trafficked = models.BooleanField(default=False)
    gender = models.CharField(_("gender"), max_length=30, blank=True)  # HTCDS prs_Gender
    languages = models.JSONField(_("languages"), default=list, blank=True)
    citizenship = models.CharField(_("citizenship"), max_length=3, blank=True)  # ISO 3166 alpha-3
    contact = EncryptedJSONField(_("contact details"), blank=True, null=True)  # phone, email, address
    immigration_status = EncryptedTextField(_("immigration status"), blank=True)
    # A person opened from a tip is what the reporter described, not yet anyone the agency has met:
    # the flag stays until staff confirm the details with the person (editing the personal details).
    from_tip_unconfirmed = models.BooleanField(_("from the tip, unconfirmed"), default=False)
    described_in_tip = EncryptedTextField(_("as described in the tip"), blank=True)
    # Blind indexes (keyed hashes) for duplicate detection and exact search.
    name_bidx = models.CharField(max_length=40, blank=True, db_index=True)
    fuzzy_bidx = models.CharField(max_length=40, blank=True, db_index=True)
    phone_bidx = models.CharField(max_length=40, blank=True, db_index=True)
    email_bidx = models.CharField(max_length=40, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")

    def __str__(self) -> str:
        return self.public_id

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part) or self.public_id


class Case(PublicIdModel):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="cases")
    owner = models.ForeignKey(
        "accounts.User",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_cases",
    )
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.ACTIVE)
    trafficking_status = models.CharField(_("trafficking status"), max_length=40, blank=True)
    trafficking_status_decided_by = models.CharField(_("trafficking status decided by"), max_length=40, blank=True)
    exploitation_types = models.JSONField(_("types of exploitation"), default=list, blank=True)
    sex_exploitation_types = models.JSONField(_("types of sexual exploitation"), default=list, blank=True)
    # Single-valued copy of the first exploitation type, indexed for the type filter.
    primary_type = models.CharField(max_length=40, blank=True)
    polaris_type = models.CharField(_("Polaris type"), max_length=60, blank=True)
    industry = models.CharField(_("industry (ISIC section)"), max_length=60, blank=True)
    methods_of_control = models.JSONField(_("methods of control"), default=list, blank=True)
    recruitment_methods = models.JSONField(_("methods of recruitment"), default=list, blank=True)
    recruitment_websites = models.JSONField(_("recruitment websites and apps"), default=list, blank=True)
    relationship_to_trafficker = models.CharField(_("relationship to trafficker"), max_length=20, blank=True)
    referral_source = models.CharField(
        _("referred by"), max_length=20, blank=True, default="", db_default="", choices=ReferralSource.choices
    )
    county = models.ForeignKey(
        "reference.County", verbose_name=_("county"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = EncryptedTextField(_("summary"), blank=True)
    # The tip's checklist answers (item id -> yes/no/unknown) as the reporter gave them; linked tips
    # are `self.tips` (tips.Tip.case).
    signs_from_tip = EncryptedJSONField(_("signs reported in the tip"), default=dict, blank=True)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(_("closure reason"), max_length=200, blank=True)
    living_situation_at_closure = models.CharField(
        _("living situation at closure"), max_length=120, blank=True, default="", db_default=""
    )
    hhs_letter = models.CharField(
        _("HHS letter"), max_length=20, blank=True, default="", db_default="", choices=HhsLetter.choices
    )
    outcome = EncryptedTextField(_("outcome"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            in_code_list("status", CaseStatus, name="case_status_in_list"),
            in_code_list("referral_source", ReferralSource, blank=True, name="case_referral_source_in_list"),
            in_code_list("hhs_letter", HhsLetter, blank=True, name="case_hhs_letter_in_list"),
        ]
        verbose_name = _("case")
        indexes = [
            models.Index(fields=["owner", "status", "-opened_at"], name="case_owner_status_idx"),
            models.Index(fields=["owner", "-opened_at"], name="case_owner_opened_idx"),
            models.Index(fields=["agency", "status", "-opened_at"], name="case_agency_status_idx"),
            models.Index(fields=["agency", "-opened_at"], name="case_agency_opened_idx"),
            models.Index(fields=["agency", "primary_type", "-opened_at"], name="case_agency_type_idx"),
            models.Index(fields=["agency", "county", "-opened_at"], name="case_agency_county_idx"),
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EventType(models.TextChoices):
    RECRUITMENT = "Recruitment", _("Recruitment")
    TRANSIT = "Transit", _("Transit")
    EXPLOITATION = "Exploitation", _("Exploitation")


class TraffickingEvent(models.Model):
    """HTCDS historic trafficking event (hte_): recruitment, transit or exploitation, with a place."""

    Type = EventType

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("to"), null=True, blank=True)
    county = models.ForeignKey(
        "reference.County",
        verbose_name=_("Illinois county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    country = models.CharField(_("country (ISO alpha-3)"), max_length=3, blank=True)
    description = EncryptedTextField(_("description"), blank=True)

    class Meta:
        constraints = [
            in_code_list("type", EventType, name="event_type_in_list"),
        ]
        ordering = ["start_date", "pk"]

    def __str__(self) -> str:
        return f"{self.type} {self.start_date or ''}"


class Perpetrator(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="perpetrators")
    role = models.CharField(_("role"), max_length=40)  # HTCDS per_RoleInProcess
    relationship = models.CharField(_("relationship to survivor"), max_length=20, blank=True)
    description = EncryptedTextField(_("description"), blank=True)

    def __str__(self) -> str:
        return self.role


class CaseNote(PublicIdModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    body = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "-created_at"], name="note_case_idx")]

    def __str__(self) -> str:
        return self.public_id


class Attachment(PublicIdModel):
    """A file kept encrypted on disk (under MEDIA_ROOT); only metadata lives here."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    filename = EncryptedTextField(_("file name"))
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.public_id


class ConsentKind(models.TextChoices):
    SERVICES = "services", _("Receiving services")
    REFERRAL = "referral", _("Referral to a named agency")
    LAW_ENFORCEMENT = "law_enforcement", _("Sharing with law enforcement")
    STATISTICS = "statistics", _("Inclusion in statistics")


CONSENT_METHODS = [("verbal", _("Verbal")), ("written", _("Written")), ("guardian", _("By parent or guardian"))]


class Consent(PublicIdModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("consent to"), max_length=20, choices=ConsentKind.choices)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(_("how it was given"), max_length=20, default="verbal", choices=CONSENT_METHODS)
    granted_at = models.DateTimeField(_("granted"))
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The last day the consent holds; from the next day on it stops access like a revocation.
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    # For a referral: the fields the survivor agreed may be shared (codes of cases.sharing); empty on
    # records from before the scope was asked, which limit nothing beyond the referral's own choice.
    scope_fields = models.JSONField(_("fields the survivor agreed to share"), default=list, blank=True)
    witness = EncryptedTextField(_("witness"), blank=True)
    signed_form = models.ForeignKey(
        Attachment,
        verbose_name=_("signed form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            in_code_list("kind", ConsentKind, name="consent_kind_in_list"),
            in_code_list("method", CONSENT_METHODS, name="consent_method_in_list"),
        ]
        ordering = ["-granted_at"]
        indexes = [
            models.Index(
                fields=["case", "kind", "agency"], name="consent_lookup_idx", condition=Q(revoked_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.public_id})"

    def allows(self, fields: list[str]) -> list[str]:
        """The subset of `fields` this consent allows sharing, in the given order."""
        return [f for f in fields if not self.scope_fields or f in self.scope_fields]

    @property
    def expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def active(self) -> bool:
        return self.revoked_at is None and not self.expired


def consent_in_force(prefix: str = "") -> Q:
    """The filter for consents that stand today (not revoked, not past their expiry date); `prefix`
    reaches the consent through a relation ("consent__")."""
    return Q(**{f"{prefix}revoked_at__isnull": True}) & (
        Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gte": timezone.localdate()})
    )


NEED_PRIORITIES = [("urgent", _("Urgent")), ("normal", _("Normal")), ("low", _("Low"))]


class ServiceNeed(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="needs")
    category = models.CharField(_("service"), max_length=40)  # service_category vocabulary
    priority = models.CharField(_("priority"), max_length=10, default="normal", choices=NEED_PRIORITIES)
    met = models.BooleanField(_("met"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "category"], name="need_unique_category"),
            in_code_list("priority", NEED_PRIORITIES, name="need_priority_in_list"),
        ]

    def __str__(self) -> str:
        return self.category


class ServiceGoal(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    text = EncryptedTextField(_("goal"))
    achieved = models.BooleanField(_("achieved"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"goal {self.pk}"


class PlanItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class ServicePlanItem(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_items")
    category = models.CharField(_("service"), max_length=40)
    provider = models.ForeignKey(
        "directory.Provider",
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanItemStatus.choices, default=PlanItemStatus.PLANNED
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)

    class Meta:
        constraints = [
            in_code_list("status", PlanItemStatus, name="plan_item_status_in_list"),
        ]
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return f"{self.category}: {self.status}"


class ReliefKind(models.TextChoices):
    T_VISA = "t_visa", _("T visa")
    CONTINUED_PRESENCE = "continued_presence", _("Continued Presence")
    U_VISA = "u_visa", _("U visa")
    ASYLUM = "asylum", _("Asylum")
    SIJS = "sijs", _("Special Immigrant Juvenile Status")


class MilestoneKind(models.TextChoices):
    LE_REQUESTED = "le_requested", _("Law-enforcement certification or declaration requested")
    LE_RECEIVED = "le_received", _("Law-enforcement certification or declaration received")
    FILED = "filed", _("Filed")
    RECEIPT = "receipt", _("Receipt notice")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class ReliefApplication(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="relief")
    kind = models.CharField(_("relief"), max_length=30, choices=ReliefKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="relief_unique_kind"),
            in_code_list("kind", ReliefKind, name="relief_kind_in_list"),
        ]

    def __str__(self) -> str:
        return self.kind


class ReliefMilestone(models.Model):
    application = models.ForeignKey(ReliefApplication, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("milestone"), max_length=20, choices=MilestoneKind.choices)
    due_date = models.DateField(_("due"), null=True, blank=True)
    reached_on = models.DateField(_("reached"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            in_code_list("kind", MilestoneKind, name="milestone_kind_in_list"),
        ]
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["due_date"], name="milestone_due_idx", condition=Q(reached_on__isnull=True))]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_date or self.reached_on}"


class Task(PublicIdModel):
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks")
    assignee = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="case_tasks")
    title = EncryptedTextField(_("task"))
    due_date = models.DateField(_("due"))
    done_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["assignee", "due_date"], name="task_open_idx", condition=Q(done_at__isnull=True))
        ]

    def __str__(self) -> str:
        return self.public_id


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AgeBand(models.TextChoices):
    """What a referral says of the survivor's age before it is accepted (never the birth date)."""

    UNDER_12 = "under_12", _("Under 12")
    AGE_12_17 = "12_17", _("12 to 17")
    AGE_18_24 = "18_24", _("18 to 24")
    AGE_25_34 = "25_34", _("25 to 34")
    AGE_35_49 = "35_49", _("35 to 49")
    AGE_50_64 = "50_64", _("50 to 64")
    AGE_65_PLUS = "65_plus", _("65 or older")
    UNKNOWN = "unknown", _("Not known")


def age_band(age: int | None) -> str:
    if age is None:
        return AgeBand.UNKNOWN
    for limit, band in ((12, AgeBand.UNDER_12), (18, AgeBand.AGE_12_17), (25, AgeBand.AGE_18_24)):
        if age < limit:
            return band
    for limit, band in ((35, AgeBand.AGE_25_34), (50, AgeBand.AGE_35_49), (65, AgeBand.AGE_50_64)):
        if age < limit:
            return band
    return AgeBand.AGE_65_PLUS


class Referral(PublicIdModel):
    """A case referred to another agency, carrying only the fields the sender chose to share.

    `summary` is what the receiving agency reads before it accepts: a non-identifying snapshot taken
    when the referral is sent (services, county, languages, age band; never names, contacts or the
    story). On accept the receiving agency opens its own case (`received_case`) from the shared fields.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    from_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="referrals_sent")
    to_agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("to agency"), on_delete=models.PROTECT, related_name="referrals_received"
    )
    provider = models.ForeignKey(
        "directory.Provider", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    service = models.CharField(_("service"), max_length=40)
    reason = models.CharField(_("reason"), max_length=40, default="AdditionalServicesRequired")
    shared_fields = models.JSONField(_("fields shared"), default=list)
    message = EncryptedTextField(_("message"), blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=10, default="normal", db_default="normal", choices=NEED_PRIORITIES
    )
    summary = EncryptedJSONField(_("summary before accepting"), default=dict, blank=True)
    received_case = models.ForeignKey(
        Case,
        verbose_name=_("case opened by the receiving agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="received_from",
    )
    consent = models.ForeignKey(Consent, null=True, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    sent_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            in_code_list("status", ReferralStatus, name="referral_status_in_list"),
            in_code_list("urgency", NEED_PRIORITIES, name="referral_urgency_in_list"),
        ]
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["to_agency", "status", "-sent_at"], name="referral_inbox_idx"),
            models.Index(fields=["case", "to_agency", "status"], name="referral_share_idx"),
        ]

    def __str__(self) -> str:
        return self.public_id


class ReferralEvent(models.Model):
    """One step in a referral's life, for the case timeline."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            in_code_list("status", ReferralStatus, name="referral_event_status_in_list"),
        ]
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.status}"


class ReferralMessage(PublicIdModel):
    """A message between the two agencies of a referral. The body is encrypted; every read is audited."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["referral", "created_at"], name="referral_message_idx")]

    def __str__(self) -> str:
        return self.public_id


class Notification(models.Model):
    """An in-app notice on the home page. Text carries record ids only, never personal data."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=120)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_unique_key")]

    def __str__(self) -> str:
        return self.key
