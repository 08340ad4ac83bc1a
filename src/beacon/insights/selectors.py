"""Aggregation reads for the dashboards: counts grouped in the database, never rows.

Every query starts from a base queryset that (1) keeps only cases whose survivor's consent to
inclusion in statistics stands, (2) is limited to the user's agency unless the user has the
statewide (``all``) insights grant, and (3) applies the dashboard filters. Grouping happens in
SQL (GROUP BY with TruncMonth/TruncQuarter); list-valued JSON columns are unnested in SQL
(``jsonb_array_elements_text`` on PostgreSQL, ``json_each`` on SQLite). Raw keys with many
values (ages, countries, counties) are grouped in SQL and rolled up to their categories here,
which touches at most a few hundred grouped rows.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from beacon.access.policy import Action, Scope, can, scopes_for
from beacon.accounts.models import Agency
from beacon.cases.models import Case, Consent, ConsentKind, Referral
from beacon.insights.formats.ctdc import AGE_BINS, age_broad
from beacon.insights.models import CaseFact
from beacon.reference.models import County
from beacon.reference.vocabularies import all_vocabularies
from beacon.screening.engine.i18n import localize
from beacon.screening.engine.registry import load_instruments
from beacon.screening.models import Screening
from beacon.tips.models import Channel, Tip

DATA = Path(__file__).resolve().parent / "data"
NOT_RECORDED = ""
CHICAGO = ZoneInfo(settings.TIME_ZONE)


# --- Who sees what ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    """What the dashboards may show a user."""

    statewide: bool  # the `all` insights grant: statewide, through the privacy layer only
    agency_id: int | None
    exact: bool  # unsuppressed figures on screen (those who may list the agency's cases anyway)
    can_export: bool


def viewer_for(user: Any) -> Viewer | None:
    scopes = scopes_for(user, Action.VIEW, "insights")
    if not scopes:
        return None
    statewide = Scope.ALL in scopes
    if not statewide and not getattr(user, "agency_id", None):
        return None
    exact = not statewide and Scope.AGENCY in scopes_for(user, Action.VIEW, "case")
    return Viewer(
        statewide=statewide,
        agency_id=None if statewide else user.agency_id,
        exact=exact,
        can_export=can(user, Action.EXPORT, "insights"),
    )


# --- Filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date  # inclusive
    granularity: str = "quarter"  # "month" or "quarter"
    region: str = ""  # "", "chicago_metro", "rest", or a county FIPS code
    agency_id: int | None = None  # statewide viewers only

    def window(self) -> tuple[dt.datetime, dt.datetime]:
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=CHICAGO)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=CHICAGO)
        return start, end

    def buckets(self) -> list[dt.date]:
        out, day = [], _bucket_start(self.start, self.granularity)
        while day <= self.end:
            out.append(day)
            month = day.month + (1 if self.granularity == "month" else 3)
            day = dt.date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        return out

    def cache_key(self) -> str:
        return f"{self.start}:{self.end}:{self.granularity}:{self.region}:{self.agency_id or ''}"


def default_filters(today: dt.date | None = None) -> Filters:
    today = today or dt.date.today()
    start = dt.date(today.year - 2, today.month, 1)
    return Filters(start=_bucket_start(start, "quarter"), end=today)


def _bucket_start(day: dt.date, granularity: str) -> dt.date:
    month = day.month if granularity == "month" else (day.month - 1) // 3 * 3 + 1
    return dt.date(day.year, month, 1)


def _region_q(region: str, county_path: str) -> Q:
    if not region:
        return Q()
    if region == "chicago_metro":
        return Q(**{f"{county_path}__chicago_metro": True})
    if region == "rest":
        return Q(**{f"{county_path}__chicago_metro": False})
    return Q(**{f"{county_path}_id": region})


# --- Base querysets --------------------------------------------------------------------------


def statistics_consent(case_ref: str = "pk") -> Exists:
    """The survivor's consent to inclusion in statistics stands for the case at ``case_ref``."""
    return Exists(
        Consent.objects.filter(case_id=OuterRef(case_ref), kind=ConsentKind.STATISTICS, revoked_at__isnull=True)
    )


def consenting_cases() -> QuerySet[Case]:
    return Case.objects.filter(statistics_consent())


def case_base(viewer: Viewer, filters: Filters) -> QuerySet[CaseFact]:
    """Dashboard facts of the cases in view (consenting only), from the narrow read model."""
    qs = CaseFact.objects.filter(consented=True, opened_on__gte=filters.start, opened_on__lte=filters.end)
    if filters.region == "chicago_metro":
        qs = qs.filter(chicago_metro=True)
    elif filters.region == "rest":
        qs = qs.filter(chicago_metro=False)
    elif filters.region:
        qs = qs.filter(county_id=filters.region)
    agency = viewer.agency_id if not viewer.statewide else filters.agency_id
    return qs.filter(agency_id=agency) if agency else qs


def referral_base(viewer: Viewer, filters: Filters) -> QuerySet[Referral]:
    start, end = filters.window()
    qs = Referral.objects.filter(statistics_consent("case_id"), sent_at__gte=start, sent_at__lt=end).filter(
        _region_q(filters.region, "case__county")
    )
    agency = viewer.agency_id if not viewer.statewide else filters.agency_id
    if agency:
        qs = qs.filter(Q(from_agency_id=agency) | Q(to_agency_id=agency))
    return qs


def screening_base(viewer: Viewer, filters: Filters) -> QuerySet:
    """Completed screenings in the period. One linked to a case counts only while that case's
    statistics consent stands; one linked only to a tip (an anonymous report) has no person
    record to consent for, and counts."""
    start, end = filters.window()
    qs = (
        Screening.objects.filter(status="completed", started_at__gte=start, started_at__lt=end)
        .filter(Q(case__isnull=True) | Q(statistics_consent("case_id")))
        .filter(_region_q(filters.region, "case__county"))
    )
    agency = viewer.agency_id if not viewer.statewide else filters.agency_id
    return qs.filter(agency_id=agency) if agency else qs


def tip_base(viewer: Viewer, filters: Filters) -> QuerySet:
    start, end = filters.window()
    qs = Tip.objects.filter(created_at__gte=start, created_at__lt=end).filter(_region_q(filters.region, "county"))
    agency = viewer.agency_id if not viewer.statewide else filters.agency_id
    return qs.filter(agency_id=agency) if agency else qs


# --- Categories ------------------------------------------------------------------------------


def _vocab(name: str) -> Callable[[], list[tuple[str, str]]]:
    return lambda: [(code, label) for code, label, _extra in all_vocabularies()[name]]


@cache
def country_regions() -> dict[str, str]:
    """ISO 3166 alpha-3 -> UN M49 sub-region (data/country_regions.csv)."""
    with (DATA / "country_regions.csv").open(encoding="utf-8", newline="") as fh:
        return {row["alpha3"]: row["un_region"] for row in csv.DictReader(fh)}


def _regions() -> list[tuple[str, str]]:
    return [(r, r) for r in sorted(set(country_regions().values()))]


def _age_bins() -> list[tuple[str, str]]:
    return [(label, label) for _low, label in AGE_BINS]


def _counties() -> list[tuple[str, str]]:
    return list(County.objects.order_by("name").values_list("fips", "name"))


def _area_of_county() -> dict[Any, str]:
    return {
        fips: ("chicago_metro" if metro else "rest")
        for fips, metro in County.objects.values_list("fips", "chicago_metro")
    }


AREAS = [("chicago_metro", _("Chicago metro")), ("rest", _("Rest of Illinois"))]
REFERRAL_OUTCOMES = [
    ("sent", _("Sent, no answer yet")),
    ("accepted", _("Accepted")),
    ("declined", _("Declined")),
    ("completed", _("Completed")),
    ("withdrawn", _("Withdrawn")),
]
SERVICE_DELAYS = [
    ("0-7", _("Within 7 days")),
    ("8-30", _("8 to 30 days")),
    ("31-90", _("31 to 90 days")),
    ("91+", _("More than 90 days")),
    ("none", _("No service started yet")),
]


@dataclass(frozen=True)
class Panel:
    key: str
    title: Any
    subject: str  # cases, referrals, screenings, tips
    field: str  # ORM path grouped on
    categories: Callable[[], list[tuple[str, Any]]]
    many: bool = False  # a JSON list column
    rollup: Callable[[], Callable[[Any], str]] | None = None  # raw value -> category code
    chart: str = "bar"  # bar (totals by category), line (categories over time), map (counties)
    description: Any = ""


def _determinations() -> list[tuple[str, Any]]:
    """Every instrument's determinations with their labels in the viewer's language, from the
    most to the least serious (instruments share ids such as "trafficking")."""
    language = get_language() or "en"
    seen: dict[str, tuple[int, str]] = {}
    for instrument in load_instruments().values():
        for determination in instrument.determinations:
            if determination.id not in seen:
                seen[determination.id] = (determination.rank, localize(determination.label, language))
    return [(code, label) for code, (_rank, label) in sorted(seen.items(), key=lambda item: -item[1][0])]


def _rollup_age() -> Callable[[Any], str]:
    return lambda age: age_broad(age) if age is not None else NOT_RECORDED


def _rollup_region() -> Callable[[Any], str]:
    regions = country_regions()
    return lambda code: regions.get(code or "", NOT_RECORDED)


def _rollup_area() -> Callable[[Any], str]:
    areas = _area_of_county()
    return lambda fips: areas.get(fips, NOT_RECORDED)


PANELS: dict[str, Panel] = {
    p.key: p
    for p in (
        Panel(
            "cases_exploitation",
            _("Cases by type of exploitation"),
            "cases",
            "exploitation_types",
            _vocab("htcds:vic_TypeOfExploitation"),
            many=True,
            chart="line",
            description=_("A case with several types counts once under each."),
        ),
        Panel("cases_polaris", _("Cases by Polaris type"), "cases", "polaris_type", _vocab("polaris")),
        Panel(
            "cases_industry",
            _("Cases by industry (ISIC section)"),
            "cases",
            "industry",
            _vocab("htcds:vic_ForcedLabourIndustry"),
        ),
        Panel(
            "cases_control",
            _("Cases by method of control"),
            "cases",
            "methods_of_control",
            _vocab("htcds:vic_MethodsOfControl"),
            many=True,
        ),
        Panel(
            "cases_recruitment",
            _("Cases by method of recruitment"),
            "cases",
            "recruitment_methods",
            _vocab("htcds:vic_MethodOfRecruitment"),
            many=True,
        ),
        Panel(
            "cases_websites",
            _("Cases by recruitment websites and apps"),
            "cases",
            "recruitment_websites",
            _vocab("htcds:vic_RecruitmentWebsitesAndApps"),
            many=True,
        ),
        Panel(
            "cases_age", _("Cases by age group at intake (CTDC bins)"), "cases", "age", _age_bins, rollup=_rollup_age
        ),
        Panel("cases_gender", _("Cases by gender"), "cases", "gender", _vocab("htcds:prs_Gender")),
        Panel(
            "cases_citizenship",
            _("Cases by region of citizenship (UN M49)"),
            "cases",
            "citizenship",
            _regions,
            rollup=_rollup_region,
        ),
        Panel(
            "cases_area",
            _("Cases in the Chicago metro area and the rest of Illinois"),
            "cases",
            "county_id",
            lambda: AREAS,
            rollup=_rollup_area,
            chart="line",
        ),
        Panel("cases_county", _("Cases by county"), "cases", "county_id", _counties, chart="map"),
        Panel("referrals_outcome", _("Referral outcomes"), "referrals", "status", lambda: REFERRAL_OUTCOMES),
        Panel(
            "cases_first_service",
            _("Time from intake to first service"),
            "cases",
            "service_delay",
            lambda: SERVICE_DELAYS,
            description=_("Days from the case's opening to the start of its first service plan item."),
        ),
        Panel(
            "screenings_determination",
            _("Completed screenings by determination"),
            "screenings",
            "determination",
            _determinations,
            chart="line",
        ),
        Panel(
            "tips_exploitation",
            _("Tips by type of exploitation (as classified at triage)"),
            "tips",
            "exploitation_types",
            _vocab("htcds:vic_TypeOfExploitation"),
            many=True,
            chart="line",
        ),
        Panel("tips_channel", _("Tips by channel"), "tips", "channel", lambda: list(Channel.choices), chart="line"),
        Panel(
            "tips_area",
            _("Tips in the Chicago metro area and the rest of Illinois"),
            "tips",
            "county_id",
            lambda: AREAS,
            rollup=_rollup_area,
        ),
    )
}


# --- Counting --------------------------------------------------------------------------------


@dataclass
class Counts:
    """A category x period table of exact counts (never shown as such to statewide viewers)."""

    panel: Panel
    buckets: list[dt.date]
    categories: list[tuple[str, Any]]
    cells: dict[tuple[str, dt.date], int] = field(default_factory=dict)

    def row(self, code: str) -> list[int]:
        return [self.cells.get((code, b), 0) for b in self.buckets]


def _base(panel: Panel, viewer: Viewer, filters: Filters) -> tuple[QuerySet, str]:
    if panel.subject == "cases":
        return case_base(viewer, filters), "opened_on"
    if panel.subject == "referrals":
        return referral_base(viewer, filters), "sent_at"
    if panel.subject == "screenings":
        return screening_base(viewer, filters), "started_at"
    return tip_base(viewer, filters), "created_at"


def _trunc(date_field: str, granularity: str) -> Any:
    trunc = TruncMonth if granularity == "month" else TruncQuarter
    if date_field == "opened_on":  # already a Chicago date
        return trunc(date_field, output_field=DateField())
    return trunc(date_field, tzinfo=CHICAGO, output_field=DateField())


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(CHICAGO)
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def grouped(panel: Panel, viewer: Viewer, filters: Filters) -> list[tuple[dt.date, Any, int]]:
    """(period start, raw key, count) rows, grouped in the database. One query."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # JIT compilation costs more than it saves on these short aggregations.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        return _grouped(panel, viewer, filters)


def _grouped(panel: Panel, viewer: Viewer, filters: Filters) -> list[tuple[dt.date, Any, int]]:
    qs, date_field = _base(panel, viewer, filters)
    qs = qs.order_by().annotate(bucket=_trunc(date_field, filters.granularity), key=F(panel.field))
    if not panel.many:
        rows = qs.values("bucket", "key").annotate(n=Count("*")).values_list("bucket", "key", "n")
        return [(_as_date(b), k, n) for b, k, n in rows]
    inner, params = qs.values("bucket", "key").query.sql_with_params()
    if connection.vendor == "postgresql":
        # ::date: DATE_TRUNC of a date column returns a timestamptz at midnight in the session zone.
        sql = (
            f"SELECT s.bucket::date, e.value, COUNT(*) FROM ({inner}) s "  # noqa: S608 (ORM-built SQL)
            "CROSS JOIN LATERAL jsonb_array_elements_text(s.key) AS e(value) GROUP BY 1, 2"
        )
    else:
        sql = (
            f"SELECT s.bucket, e.value, COUNT(*) FROM ({inner}) s, json_each(s.key) e "  # noqa: S608
            "GROUP BY 1, 2"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(_as_date(b), k, n) for b, k, n in cursor.fetchall()]


def facts_version() -> str:
    """Changes whenever any case's facts are refreshed (consent changes included)."""
    latest = CaseFact.objects.aggregate(m=Max("refreshed_at"))["m"]
    return latest.isoformat() if latest else "empty"


def counts(panel: Panel, viewer: Viewer, filters: Filters) -> Counts:
    rollup = panel.rollup() if panel.rollup else (lambda raw: raw if raw is not None else NOT_RECORDED)
    cells: dict[tuple[str, dt.date], int] = defaultdict(int)
    for bucket, raw, n in grouped(panel, viewer, filters):
        cells[(rollup(raw) or NOT_RECORDED, bucket)] += n
    known = panel.categories()
    codes = {code for code, _label in known}
    present = {code for code, _b in cells}
    # Categories in vocabulary order; unknown codes (old data) after them, "not recorded" last.
    categories = [(c, label) for c, label in known if c in present]
    categories += [(c, c) for c in sorted(present - codes - {NOT_RECORDED})]
    if NOT_RECORDED in present:
        categories.append((NOT_RECORDED, _("Not recorded")))
    buckets = filters.buckets()
    return Counts(panel=panel, buckets=buckets, categories=categories, cells=dict(cells))


def agencies_for_filter(viewer: Viewer) -> list[tuple[int, str]]:
    if not viewer.statewide:
        return []
    return list(Agency.objects.filter(is_active=True).order_by("name").values_list("pk", "name"))
