"""Keeping ``CaseFact`` in step with the cases: one INSERT ... SELECT built by the ORM, for some
cases (after a change) or for all of them (periodically and after bulk loads)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Case as When_
from django.db.models import (
    DateField,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    Min,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models import When as WhenClause
from django.db.models.functions import TruncDate
from django.utils import timezone

from beacon.cases.models import Case, Consent, ConsentKind, ServicePlanItem
from beacon.insights.models import CaseFact
from beacon.insights.selectors import CHICAGO

COLUMNS = (
    "case_id",
    "agency_id",
    "county_id",
    "chicago_metro",
    "opened_on",
    "consented",
    "gender",
    "age",
    "citizenship",
    "polaris_type",
    "industry",
    "exploitation_types",
    "methods_of_control",
    "recruitment_methods",
    "recruitment_websites",
    "service_delay",
    "refreshed_at",
)


def _source(case_ids: Iterable[int] | None) -> Any:
    first = (
        ServicePlanItem.objects.filter(case_id=OuterRef("pk"), start_date__isnull=False)
        .order_by()
        .values("case_id")
        .annotate(m=Min("start_date"))
        .values("m")
    )
    delay = ExpressionWrapper(
        Subquery(first, output_field=DateField()) - TruncDate("opened_at", tzinfo=CHICAGO), output_field=DurationField()
    )
    day = dt.timedelta(days=1)
    qs = Case.objects.all() if case_ids is None else Case.objects.filter(pk__in=list(case_ids))
    return (
        qs.order_by()
        .annotate(
            f_now=Value(timezone.now(), output_field=DateTimeField()),
            f_opened=TruncDate("opened_at", tzinfo=CHICAGO),
            f_consented=Exists(
                Consent.objects.filter(case_id=OuterRef("pk"), kind=ConsentKind.STATISTICS, revoked_at__isnull=True)
            ),
            f_days=delay,
        )
        .annotate(
            f_service=When_(
                WhenClause(f_days__isnull=True, then=Value("none")),
                WhenClause(f_days__lt=8 * day, then=Value("0-7")),
                WhenClause(f_days__lt=31 * day, then=Value("8-30")),
                WhenClause(f_days__lt=91 * day, then=Value("31-90")),
                default=Value("91+"),
            )
        )
        .values_list(
            "pk",
            "agency_id",
            "county_id",
            "county__chicago_metro",
            "f_opened",
            "f_consented",
            "person__gender",
            "person__age_at_intake",
            "person__citizenship",
            "polaris_type",
            "industry",
            "exploitation_types",
            "methods_of_control",
            "recruitment_methods",
            "recruitment_websites",
            "f_service",
            "f_now",
        )
    )


def refresh(case_ids: Iterable[int] | None = None) -> int:
    """Rebuild the facts of ``case_ids`` (all cases when None); returns the rows written."""
    ids = None if case_ids is None else sorted(set(case_ids))
    if ids == []:
        return 0
    sql, params = _source(ids).query.sql_with_params()
    table = CaseFact._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if ids is None:
            cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 (our own table name)
        else:
            CaseFact.objects.filter(case_id__in=ids).delete()
        cursor.execute(f'INSERT INTO "{table}" ({", ".join(COLUMNS)}) {sql}', params)
        written = cursor.rowcount
    if ids is None and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{table}"')
    return written
