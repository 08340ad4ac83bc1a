"""Stored screenings: who was screened with which instrument version, the answers, and the result.

A screening is reproducible: it keeps the instrument id, version and file digest, the population,
the interviewer's context flags and the answers, so the engine can evaluate them again and get
the same result. The answers, the result (which reveals them) and the interviewer's notes are
personal data and are encrypted at rest. Re-screening later makes a new record; nothing is
overwritten once a screening is finished.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beacon.crypto.fields import EncryptedJSONField, EncryptedTextField
from beacon.web.models import PublicIdModel


class Status(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class Mode(models.TextChoices):
    ONE_AT_A_TIME = "one", _("One question at a time")
    WHOLE_LIST = "all", _("The whole list")


class Interpreter(models.TextChoices):
    # Never the person who brought them: the form refuses that choice and says why.
    NOT_NEEDED = "not_needed", _("Not needed: the person and the interviewer share a language")
    INDEPENDENT = "independent", _("An independent interpreter is present (in person or by phone)")


class Screening(PublicIdModel):
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="screenings")
    tip = models.ForeignKey("tips.Tip", null=True, blank=True, on_delete=models.CASCADE, related_name="screenings")
    # The agency the record belongs to: the case's, else the tip's, else the screener's (set once, at start).
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="screenings")
    screener = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="screenings"
    )

    instrument_id = models.CharField(_("instrument"), max_length=80)
    instrument_version = models.CharField(_("instrument version"), max_length=40)
    instrument_digest = models.CharField(max_length=64, blank=True)  # SHA-256 of the instrument file
    population = models.CharField(_("population"), max_length=20)
    language = models.CharField(_("interview language"), max_length=10, default="en")
    mode = models.CharField(_("how to ask"), max_length=3, choices=Mode.choices, default=Mode.ONE_AT_A_TIME)

    # The interviewer's context flags: they change next steps, so they are part of the result.
    immediate_danger = models.BooleanField(_("someone is in immediate danger"), default=False)
    minor = models.BooleanField(_("the person is under 18"), default=False)
    foreign_national = models.BooleanField(_("the person is a foreign national"), default=False)

    # The safety and consent step, before any question (as in the HHS adult screening guidance): no
    # question is asked until it is recorded with every part confirmed.
    safe_to_talk = models.BooleanField(_("safe to talk now"), null=True)
    interpreter = models.CharField(_("interpreter"), max_length=20, blank=True, choices=Interpreter.choices)
    confidentiality_explained = models.BooleanField(_("limits of confidentiality explained"), default=False)
    right_to_stop_explained = models.BooleanField(_("right to stop explained"), default=False)
    agreed_to_continue = models.BooleanField(_("agreed to continue"), default=False)
    safety_checked_at = models.DateTimeField(null=True, blank=True)

    answers = EncryptedJSONField(default=dict)  # item id -> yes / no / unknown / declined
    # Item id -> the signs a reporter ticked on the tip form that point to it (community red-flag ids),
    # copied when the screening starts: the questions show them as "from the tip, confirm with the person".
    tip_signs = EncryptedJSONField(default=dict, blank=True)
    notes = EncryptedTextField(_("interviewer's notes"), blank=True)
    position = models.PositiveIntegerField(default=0)  # the question to resume at (one at a time)

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    determination = models.CharField(_("determination"), max_length=60, blank=True)
    result = EncryptedJSONField(null=True, blank=True)  # the engine's to_dict() in English, as evaluated

    request_key = models.CharField(max_length=64, blank=True)  # idempotency key of the request that made it
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("screening")
        indexes = [
            models.Index(fields=["case", "-started_at"], name="screening_case_idx"),
            models.Index(fields=["tip", "-started_at"], name="screening_tip_idx"),
            models.Index(fields=["screener", "status", "-started_at"], name="screening_screener_idx"),
            models.Index(fields=["agency", "-started_at"], name="screening_agency_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["screener", "request_key"], condition=~Q(request_key=""), name="screening_unique_request_key"
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(tip__isnull=False), name="screening_has_case_or_tip"
            ),
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def created_at(self):
        """When the screening began (the name other apps' timelines read)."""
        return self.started_at

    @property
    def safety_cleared(self) -> bool:
        """The safety and consent step is recorded and every part of it was confirmed."""
        return bool(
            self.safety_checked_at
            and self.safe_to_talk
            and self.interpreter in Interpreter.values
            and self.confidentiality_explained
            and self.right_to_stop_explained
            and self.agreed_to_continue
        )

    @property
    def is_completed(self) -> bool:
        return self.status == Status.COMPLETED

    @property
    def subject_label(self) -> str:
        if self.case_id:
            return _("Case %(id)s") % {"id": self.case.public_id}
        return _("Tip %(id)s") % {"id": self.tip.public_id}

    def reproduce(self):
        """Re-evaluate with the instrument loaded now and compare with the stored result (see services)."""
        from beacon.screening.services import reproduce  # cycle: services imports these models

        return reproduce(self)
