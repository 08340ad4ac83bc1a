"""Reads for the data lifecycle: standing holds, what they cover, and the staff page's lists."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from beacon.access.policy import Action, scope_queryset
from beacon.audit.services import record_views
from beacon.lifecycle.models import Erasure, LegalHold


def standing() -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(released_at__isnull=True)


def case_held() -> Q:
    """For a Case queryset: a hold stands on the case, or on a tip that became it."""
    return Q(Exists(standing().filter(case_id=OuterRef("pk")))) | Q(
        Exists(standing().filter(tip__case_id=OuterRef("pk")))
    )


def tip_held(tip_ref: str = "pk", case_ref: str = "case_id") -> Q:
    """For a queryset reaching a tip at `tip_ref`: a hold stands on the tip, or on its case."""
    return Q(Exists(standing().filter(tip_id=OuterRef(tip_ref)))) | Q(
        Exists(standing().filter(case_id=OuterRef(case_ref), case_id__isnull=False))
    )


def holds_on(case_ids: list[int], tip_ids: list[int]) -> list[LegalHold]:
    """Standing holds on any of these cases or tips, or on tips of these cases."""
    return list(
        standing()
        .filter(Q(case_id__in=case_ids) | Q(tip_id__in=tip_ids) | Q(tip__case_id__in=case_ids))
        .select_related("case", "tip")
    )


def holds(user: Any, *, include_released: bool = True) -> QuerySet[LegalHold]:
    """The holds of the user's agency, standing first; reading their reasons is audited by the caller."""
    qs = scope_queryset(user, Action.VIEW, "legal_hold", LegalHold.objects.all())
    if not include_released:
        qs = qs.filter(released_at__isnull=True)
    return qs.select_related("case", "tip", "placed_by", "released_by")


def shown_holds(user: Any, limit: int = 200) -> list[LegalHold]:
    """The holds a page shows, with their reasons: one view entry each."""
    rows = list(holds(user).order_by(F("released_at").desc(nulls_first=True), "-placed_at")[:limit])
    record_views(user, rows, "legal holds page")
    return rows


def erasures(user: Any, limit: int = 50) -> list[Erasure]:
    qs = scope_queryset(user, Action.VIEW, "erasure", Erasure.objects.all())
    return list(qs.select_related("person", "erased_by")[:limit])
