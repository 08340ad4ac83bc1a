"""The privacy-budget ledger in the database, implementing ``privacy.dp.BudgetLedger``.

``charge`` locks the scope's budget row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
transactions already serialise writers), sums what the scope has spent, checks and inserts in one
transaction: two concurrent releases cannot both fit under the same remaining budget.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from beacon.insights.models import PrivacyBudget, PrivacyBudgetEntry
from beacon.insights.privacy.dp import LedgerEntry, check_budget

# Total epsilon a scope gets when it is first used, unless configured otherwise.
DEFAULT_TOTAL_EPSILON = float(getattr(settings, "BEACON_PRIVACY_BUDGET", 10.0))


class DatabaseLedger:
    def __init__(self, actor: Any = None, default_total: float = DEFAULT_TOTAL_EPSILON) -> None:
        self.actor = actor
        self.default_total = default_total

    def _budget(self, scope: str, total: float | None, *, lock: bool) -> PrivacyBudget:
        budget, _ = PrivacyBudget.objects.get_or_create(
            scope=scope, defaults={"total_epsilon": total if total is not None else self.default_total}
        )
        if lock:
            budget = PrivacyBudget.objects.select_for_update().get(pk=budget.pk)
        return budget

    def spent(self, scope: str) -> float:
        return float(PrivacyBudgetEntry.objects.filter(budget__scope=scope).aggregate(s=Sum("epsilon"))["s"] or 0.0)

    def total(self, scope: str) -> float:
        budget = PrivacyBudget.objects.filter(scope=scope).first()
        return budget.total_epsilon if budget else self.default_total

    def record(self, scope: str, who: str, what: str, epsilon: float) -> LedgerEntry:
        with transaction.atomic():
            budget = self._budget(scope, None, lock=True)
            return self._append(budget, who, what, epsilon, None)

    def charge(self, scope: str, who: str, what: str, epsilon: float, total_budget: float) -> LedgerEntry:
        with transaction.atomic():
            budget = self._budget(scope, total_budget, lock=True)
            check_budget(scope, self.spent(scope), epsilon, total_budget)
            return self._append(budget, who, what, epsilon, total_budget)

    def _append(self, budget: PrivacyBudget, who: str, what: str, epsilon: float, total: float | None) -> LedgerEntry:
        spent_after = self.spent(budget.scope) + epsilon
        row = PrivacyBudgetEntry.objects.create(
            budget=budget,
            who=who[:150],
            actor=self.actor if getattr(self.actor, "pk", None) else None,
            what=what[:300],
            epsilon=epsilon,
            spent_after=spent_after,
            total_budget=total,
            at=timezone.now(),
        )
        self.last_row = row
        return LedgerEntry(budget.scope, row.who, row.what, epsilon, row.at, spent_after, total)
