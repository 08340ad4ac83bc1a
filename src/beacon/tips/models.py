"""Tips: reports from the public portal and from gateways (SMS, e-mail), and what staff do with them.

Everything a reporter writes is encrypted at rest. Plain columns hold only what triage sorts and
groups on (urgency, status, county, flags) and keyed hashes (blind indexes) for linking.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beacon.crypto.fields import EncryptedJSONField, EncryptedTextField
from beacon.web.ids import new_public_id
from beacon.web.models import PublicIdModel


class Channel(models.TextChoices):
    WEB = "web", _("Public portal")
    SMS = "sms", _("Text message")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone call")
    OTHER = "other", _("Other gateway")
    FIELD = "field", _("Field outreach survey")


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_REVIEW = "in_review", _("In review")
    AWAITING_INFO = "awaiting_info", _("Waiting for more information")
    ASSIGNED = "assigned", _("Assigned to an agency")
    ESCALATED = "escalated", _("Escalated to law enforcement")
    CONVERTED = "converted", _("Converted to a case")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.NEW, Status.IN_REVIEW, Status.AWAITING_INFO, Status.ASSIGNED, Status.ESCALATED)


class CloseReason(models.TextChoices):
    NOT_TRAFFICKING = "not_trafficking", _("Not trafficking")
    DUPLICATE = "duplicate", _("Duplicate")
    OUT_OF_AREA = "out_of_area", _("Out of area")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")


class ChildInvolved(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Don't know")


class When(models.TextChoices):
    NOW = "now", _("It is happening now")
    DAY = "day", _("In the last 24 hours")
    WEEK = "week", _("In the last week")
    MONTH = "month", _("In the last month")
    EARLIER = "earlier", _("Longer ago")
    UNKNOWN = "unknown", _("Don't know")


class LocationKind(models.TextChoices):
    COUNTY = "county", _("An Illinois county")
    CITY = "city", _("An Illinois city or town")
    ELSEWHERE = "elsewhere", _("Outside Illinois / don't know")


class ContactPreference(models.TextChoices):
    CODENAME = "codename", _("Only through my codename")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")


class Tip(models.Model):
    # Unique keys are table constraints (Meta) rather than unique=True: on PostgreSQL a unique or
    # indexed CharField also gets a varchar_pattern_ops index for LIKE, which nothing here runs, and
    # every tip would pay to update it.
    public_id = models.CharField(max_length=12, default=new_public_id, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    language = models.CharField(max_length=10, default="en")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)  # tip_queue_idx leads with it
    close_reason = models.CharField(max_length=30, choices=CloseReason.choices, blank=True)
    # Set by triage staff (HTCDS vic_TypeOfExploitation codes); the reporter is never asked to classify.
    exploitation_types = models.JSONField(default=list, blank=True)

    # What the reporter told us (encrypted).
    narrative = EncryptedTextField(_("what happened"))
    location_kind = models.CharField(max_length=10, choices=LocationKind.choices, default=LocationKind.ELSEWHERE)
    county = models.ForeignKey("reference.County", null=True, blank=True, on_delete=models.PROTECT, db_index=False)
    in_illinois = models.BooleanField(default=False)
    place = EncryptedTextField(blank=True)  # city, address or place described
    when = models.CharField(max_length=10, choices=When.choices, default=When.UNKNOWN)
    when_detail = EncryptedTextField(blank=True)
    people = EncryptedJSONField(default=dict)  # description, names, phones, emails, plates, addresses
    checklist = EncryptedJSONField(default=dict)  # item id -> "yes" / "no" / "unknown"
    child_involved = models.CharField(max_length=10, choices=ChildInvolved.choices, default=ChildInvolved.UNKNOWN)
    danger_now = models.BooleanField(default=False)
    contact_preference = models.CharField(
        max_length=10, choices=ContactPreference.choices, default=ContactPreference.CODENAME
    )
    contact_detail = EncryptedTextField(blank=True)
    consent_law_enforcement = models.BooleanField(default=False)
    # The person it happened to is the one reporting (from an intake channel, or marked by triage).
    self_report = models.BooleanField(default=False)

    # Triage.
    urgency_score = models.IntegerField(default=0, db_index=True)
    urgency_reasons = models.JSONField(default=list)  # [[code, points], ...]: no personal data
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="tips")
    escalated_to = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="escalated_tips"
    )
    identity_shared_with_police = models.BooleanField(default=False)
    # The case this tip became (one case may gather several tips). Set only by services.convert_to_case.
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="tips", db_index=False
    )
    intake_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who is working on it now (claim/release in the queue); they are told when the reporter adds to it.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    # "Changed" in the queue: the reporter added information after staff last opened the tip.
    reporter_updated_at = models.DateTimeField(null=True, blank=True)
    staff_seen_at = models.DateTimeField(null=True, blank=True)

    # Reporter's return: codename as a slow hash plus a keyed lookup index; submission idempotency.
    codename_hash = models.CharField(max_length=200)
    codename_index = models.CharField(max_length=40)
    submission_key = models.CharField(max_length=64)

    class Meta:
        ordering = ["-urgency_score", "-created_at"]
        indexes = [
            models.Index(fields=["status", "-urgency_score", "-created_at"], name="tip_queue_idx"),
            models.Index(fields=["county"], name="tip_county_idx"),
            models.Index(fields=["case"], name="tip_case_idx", condition=models.Q(case__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["public_id"], name="tip_public_id_unique"),
            models.UniqueConstraint(fields=["codename_index"], name="tip_codename_index_unique"),
            models.UniqueConstraint(fields=["submission_key"], name="tip_submission_key_unique"),
        ]

    def __str__(self) -> str:
        return f"Tip {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def changed_by_reporter(self) -> bool:
        return self.reporter_updated_at is not None and (
            self.staff_seen_at is None or self.reporter_updated_at > self.staff_seen_at
        )


class IdentifierKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    PLATE = "plate", _("Vehicle plate")
    ADDRESS = "address", _("Address")


class TipIdentifier(models.Model):
    """A blind index of one phone, e-mail, plate or address named in a tip: links tips to each other."""

    # The unique constraint leads with the tip, so it serves look-ups by tip too.
    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="identifiers", db_index=False)
    kind = models.CharField(max_length=10, choices=IdentifierKind.choices)
    index = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["index"], name="tip_identifier_index_idx")]
        constraints = [models.UniqueConstraint(fields=["tip", "kind", "index"], name="tip_identifier_unique")]

    def __str__(self) -> str:
        return f"{self.kind} of tip {self.tip_id}"


class Author(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    STAFF = "staff", _("Staff")


class MessageKind(models.TextChoices):
    ADDITION = "addition", _("Added information")
    REPLY = "reply", _("Reply")
    REQUEST_INFO = "request_info", _("Request for more information")


class TipMessage(PublicIdModel):
    """A message between the reporter (through the codename) and staff."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="messages")
    created_at = models.DateTimeField(auto_now_add=True)
    author = models.CharField(max_length=10, choices=Author.choices)
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    staff_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    body = EncryptedTextField()
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Message {self.public_id}"


class TipPhoto(PublicIdModel):
    """A photo re-encoded without metadata (EXIF, GPS), stored encrypted."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="photos")
    message = models.ForeignKey(TipMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    created_at = models.DateTimeField(auto_now_add=True)
    content_type = models.CharField(max_length=40, default="image/jpeg")
    data = EncryptedTextField()  # base64 of the cleaned image

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Photo {self.public_id}"


class TipEvent(models.Model):
    """What staff did with a tip, shown on the tip page (the audit chain holds the same facts)."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=30)
    detail = models.CharField(max_length=200, blank=True)  # agency name / reason code: no personal data

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on tip {self.tip_id}"
