"""Legal holds and erasures: what keeps a record past its retention period, and what was erased.

A hold names one case or one tip. While it stands (``released_at`` empty) the record is kept by
the retention purge and cannot be erased. The reason is encrypted: it may name a matter or a court.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beacon.crypto.fields import EncryptedTextField
from beacon.web.models import PublicIdModel


class LegalHold(PublicIdModel):
    # PROTECT: a held record cannot be deleted by any path while its hold row exists; the purge
    # removes released holds of a record itself before deleting it.
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    tip = models.ForeignKey("tips.Tip", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(_("reason"))
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    placed_at = models.DateTimeField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = EncryptedTextField(_("reason for release"), blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(case__isnull=False) & Q(tip__isnull=True)) | (Q(case__isnull=True) & Q(tip__isnull=False)),
                name="legal_hold_one_target",
            ),
            # One standing hold per record: a second reason is added by releasing and placing again.
            models.UniqueConstraint(
                fields=["case"], condition=Q(released_at__isnull=True), name="legal_hold_one_per_case"
            ),
            models.UniqueConstraint(
                fields=["tip"], condition=Q(released_at__isnull=True), name="legal_hold_one_per_tip"
            ),
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def active(self) -> bool:
        return self.released_at is None

    @property
    def target_kind(self) -> str:
        return "case" if self.case_id else "tip"

    @property
    def target(self) -> models.Model:
        return self.case if self.case_id else self.tip


class Erasure(PublicIdModel):
    """That a survivor's personal data was erased on request: when, by whom, which cases. Nothing
    of what was erased."""

    person = models.OneToOneField("cases.Person", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    erased_at = models.DateTimeField()
    statistics_kept = models.BooleanField()  # consent to statistics stood, so coded demographics stayed

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return self.public_id
