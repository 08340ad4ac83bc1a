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

from beacon.crypto.fields import EncryptedJSONField


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
