"""Matters (investigations) of law-enforcement agencies and prosecutors' offices, their subjects, and
the deconfliction look-ups that compare subjects across agencies.

A subject's value is encrypted at rest; the look-up compares only its blind index (`bidx`), computed
through the one normaliser of its kind (`matters.subjects`). Titles are encrypted too: an
investigation's title often names its target.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from beacon.crypto.fields import EncryptedJSONField, EncryptedTextField
from beacon.web.models import PublicIdModel, in_code_list


class MatterStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SUSPENDED = "suspended", _("Suspended")
    CHARGED = "charged", _("Referred for prosecution")
    CLOSED = "closed", _("Closed")


class SubjectKind(models.TextChoices):
    PERSON = "person", _("Person (name)")
    BUSINESS = "business", _("Business")
    ADDRESS = "address", _("Address")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    VEHICLE = "vehicle", _("Vehicle plate")
    HANDLE = "handle", _("Online handle")


class Matter(PublicIdModel):
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="matters")
    title = EncryptedTextField(_("title"))
    exploitation_type = models.CharField(_("type of exploitation"), max_length=40)  # HTCDS vic_TypeOfExploitation
    county = models.ForeignKey(
        "reference.County", verbose_name=_("county"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(_("status"), max_length=12, choices=MatterStatus.choices, default=MatterStatus.OPEN)
    lead = models.ForeignKey(
        "accounts.User",
        verbose_name=_("lead investigator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_matters",
    )
    # "Notify our contact only, do not name us": another agency whose look-up matches this matter is
    # told only that a match exists and that the task-force coordinator will contact it.
    confidential = models.BooleanField(_("confidential"), default=False)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [in_code_list("status", MatterStatus, name="matter_status_in_list")]
        indexes = [models.Index(fields=["agency", "-created_at"], name="matter_agency_idx")]

    def __str__(self) -> str:
        return self.public_id

    def get_absolute_url(self) -> str:
        return reverse("matters:detail", args=[self.public_id])


class Subject(PublicIdModel):
    """A person, business, address, phone, e-mail, vehicle or handle an investigation is about.

    `bidx` is "" when the value cannot be read as its kind (a phone that does not parse): it is kept
    as text, shown with a warning, and takes no part in deconfliction."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="subjects")
    kind = models.CharField(_("kind"), max_length=10, choices=SubjectKind.choices)
    value = EncryptedTextField(_("value"))
    # Other spellings of the same subject, merged into it instead of repeating it.
    other_spellings = EncryptedJSONField(default=list, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    bidx = models.CharField(max_length=40, blank=True)
    added_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "added_at"]
        constraints = [
            in_code_list("kind", SubjectKind, name="subject_kind_in_list"),
            models.UniqueConstraint(
                fields=["matter", "kind", "bidx"], condition=~Q(bidx=""), name="subject_unique_per_matter"
            ),
        ]
        # The deconfliction look-up: every subject holding one blind index, whichever matter.
        indexes = [models.Index(fields=["bidx"], name="subject_bidx_idx", condition=~Q(bidx=""))]

    def __str__(self) -> str:
        return self.public_id

    @property
    def indexed(self) -> bool:
        return bool(self.bidx)


class DeconflictionContact(models.Model):
    """Who another agency reaches when its look-up matches one of this agency's records."""

    agency = models.OneToOneField("accounts.Agency", on_delete=models.CASCADE, related_name="deconfliction_contact")
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164, e.g. +13125550100"))
    email = models.EmailField(_("e-mail"), blank=True)
    # The staff account that receives the in-app notice of a match (optional: the contact may be a desk).
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("staff account that receives notices"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.agency_id})"

    @property
    def reach(self) -> str:
        return " · ".join(part for part in (self.name, self.phone, self.email) if part)


class RecordType(models.TextChoices):
    MATTER = "matter", _("investigation")
    TIP = "tip", _("tip")
    CASE = "case", _("survivor case")


class DeconflictionCheck(PublicIdModel):
    """One look-up: a subject compared with every other agency's records."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="checks")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="checks")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return self.public_id


class DeconflictionHit(PublicIdModel):
    """What one look-up found at one other agency, in one kind of record. The holder's references
    are for the notices and the coordinator; the asker reads only `matters.deconfliction.finding`."""

    check_run = models.ForeignKey(DeconflictionCheck, on_delete=models.CASCADE, related_name="hits")
    record_type = models.CharField(max_length=10, choices=RecordType.choices)
    holder_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # none for a tip no agency has taken yet
    holder_matters = models.JSONField(default=list)  # public ids of the matching matters
    records = models.PositiveIntegerField(default=1)
    since = models.DateTimeField()
    confidential = models.BooleanField(default=False)  # a matching matter asked not to be named
    # The holder's record is a survivor's own (a case, or a tip the survivor sent without consent to
    # share with law enforcement): the asker reads only "a possible match exists".
    survivor = models.BooleanField(default=False)

    class Meta:
        ordering = ["record_type", "since"]
        constraints = [in_code_list("record_type", RecordType, name="hit_record_type_in_list")]

    def __str__(self) -> str:
        return self.public_id
