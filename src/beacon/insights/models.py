"""Insights records: the privacy-budget ledger and the releases published on the public portal.

Nothing here holds personal data: ledger entries name who spent budget and on what, releases hold
only figures that already went through the privacy layer (noised, suppressed or synthetic).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beacon.web.models import PublicIdModel


class PrivacyBudget(models.Model):
    """One budget scope (e.g. "statewide-2026"): its total epsilon. The row is locked while charging."""

    scope = models.CharField(_("scope"), max_length=80, unique=True)
    total_epsilon = models.FloatField(_("total epsilon"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scope"]

    def __str__(self) -> str:
        return self.scope


class PrivacyBudgetEntry(models.Model):
    """One spend of privacy budget: who, when, what, epsilon, and the running total after it."""

    budget = models.ForeignKey(PrivacyBudget, on_delete=models.PROTECT, related_name="entries")
    who = models.CharField(_("who"), max_length=150)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    what = models.CharField(_("what"), max_length=300)
    epsilon = models.FloatField(_("epsilon"))
    spent_after = models.FloatField(_("spent including this entry"))
    total_budget = models.FloatField(_("total budget"), null=True, blank=True)  # None: recorded unchecked
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "privacy budget entries"

    def __str__(self) -> str:
        return f"{self.budget_id}: {self.epsilon:g} by {self.who}"

    @property
    def remaining(self) -> float | None:
        return None if self.total_budget is None else max(0.0, self.total_budget - self.spent_after)


class ReleaseKind(models.TextChoices):
    DP = "dp", _("Differentially private counts")
    SYNTHETIC = "synthetic", _("Synthetic microdata (CTDC layout)")


class PublishedRelease(PublicIdModel):
    """A statistics release for the public page: only noised/suppressed figures and their method notes."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReleaseKind.choices, default=ReleaseKind.DP)
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    # {"tables": [{"key", "title", "categories": [...], "values": [...]}], "method": {...}}
    content = models.JSONField(default=dict)
    epsilon = models.FloatField(_("epsilon spent"))
    ledger_entry = models.OneToOneField(PrivacyBudgetEntry, null=True, on_delete=models.PROTECT, related_name="release")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class CaseFact(models.Model):
    """One narrow row per case with what the dashboards group on: a read model kept beside the cases.

    Counting over this table instead of joining cases, persons and consents keeps each panel under
    a second at a million cases. It holds codes only (no names, no free text). Rows are refreshed
    when a case, its person, consents or service plan change (signals, in the same transaction) and
    rebuilt in full periodically and after bulk loads (``facts.refresh``); consent changes apply
    at once.
    """

    case = models.OneToOneField("cases.Case", primary_key=True, on_delete=models.CASCADE, related_name="+")
    agency_id = models.BigIntegerField()
    county_id = models.CharField(max_length=5, null=True, blank=True)  # noqa: DJ001 (copies a nullable FK)
    chicago_metro = models.BooleanField(null=True)
    opened_on = models.DateField()  # America/Chicago
    consented = models.BooleanField()  # consent to inclusion in statistics in force
    gender = models.CharField(max_length=30, blank=True)
    age = models.PositiveSmallIntegerField(null=True)
    citizenship = models.CharField(max_length=3, blank=True)
    polaris_type = models.CharField(max_length=60, blank=True)
    industry = models.CharField(max_length=60, blank=True)
    exploitation_types = models.JSONField(default=list)
    methods_of_control = models.JSONField(default=list)
    recruitment_methods = models.JSONField(default=list)
    recruitment_websites = models.JSONField(default=list)
    service_delay = models.CharField(max_length=8)  # 0-7, 8-30, 31-90, 91+, none
    refreshed_at = models.DateTimeField(db_index=True)  # its maximum versions cached panel results

    class Meta:
        indexes = [
            models.Index(fields=["opened_on"], name="casefact_opened_idx", condition=models.Q(consented=True)),
            models.Index(
                fields=["agency_id", "opened_on"], name="casefact_agency_opened_idx", condition=models.Q(consented=True)
            ),
        ]

    def __str__(self) -> str:
        return f"facts of case {self.case_id}"
