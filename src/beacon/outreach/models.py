"""Submissions collected in the field with the HTCDS survey (KoboToolbox, ODK) and imported here.

Each becomes a tip in the submitting agency's intake queue, to be reviewed like any other tip:
never a case straight away. The record keeps the submission's UUID (the idempotency key: a
retried hook or a re-imported export never makes a second tip), the whole submission encrypted
(nothing the form collected is lost, even fields Beacon does not map) and the names of the fields
that were not mapped or not understood (no values)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beacon.crypto.fields import EncryptedJSONField, EncryptedTextField
from beacon.web.models import PublicIdModel


class Source(models.TextChoices):
    KOBO = "kobo", _("KoboToolbox REST service")
    ODK = "odk", _("ODK Central")
    FILE = "file", _("Exported file")


class FieldSubmission(models.Model):
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="field_submissions")
    submission_uuid = models.CharField(max_length=64)
    source = models.CharField(max_length=10, choices=Source.choices)
    form_id = models.CharField(max_length=100, blank=True)
    tip = models.OneToOneField("tips.Tip", on_delete=models.CASCADE, related_name="field_submission")
    payload = EncryptedJSONField(default=dict)
    unmapped_fields = models.JSONField(default=list, blank=True)  # field names only
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "submission_uuid"], name="field_submission_once_per_agency")
        ]

    def __str__(self) -> str:
        return f"field submission {self.submission_uuid}"


class Audience(models.TextChoices):
    FARMWORKERS = "farmworkers", _("Farm and seasonal workers")
    MEAT_PACKING = "meat_packing", _("Meat-packing and food-processing workers")
    DOMESTIC = "domestic", _("Domestic and care workers")
    CONSTRUCTION = "construction", _("Construction and day laborers")
    HOSPITALITY = "hospitality", _("Restaurant, hotel and cleaning workers")
    YOUTH = "youth", _("Young people and students")
    NEWCOMERS = "newcomers", _("Newly arrived migrants and refugees")
    COMMUNITY = "community", _("Community and faith groups")
    HEALTH = "health", _("Health workers")
    EMPLOYERS = "employers", _("Employers and businesses")
    GENERAL = "general", _("General public")


class OutreachEvent(PublicIdModel):
    """One outreach activity in the field: where, for whom, in which languages, how many people
    were reached and how many asked for follow-up. Counts only: the people reached are never
    recorded here (a person who asks for help becomes a tip or a case)."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="outreach_events")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    held_on = models.DateField(_("date"))
    county = models.ForeignKey(
        "reference.County", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("county")
    )
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_('A public place or kind of place, e.g. "county fair" or "clinic waiting room".'),
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    people_reached = models.PositiveIntegerField(_("people reached"))
    materials_distributed = models.PositiveIntegerField(_("materials handed out"), default=0)
    follow_ups = models.PositiveIntegerField(_("people who asked for follow-up"), default=0)
    notes = EncryptedTextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(follow_ups__lte=models.F("people_reached")),
                name="outreach_follow_ups_within_reached",
            ),
        ]

    def __str__(self) -> str:
        return f"outreach {self.public_id}"
