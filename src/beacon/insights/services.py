"""Insights use cases: dashboard panels, exports and statistics releases, each checked and audited.

Who gets what:

- dashboards: users with the insights ``view`` grant. Statewide viewers (analysts) get aggregates
  through small-cell suppression only; agency viewers get their agency's figures, exact on screen
  only for those who may list the agency's cases anyway (supervisors), suppressed otherwise.
- panel CSV downloads: the insights ``export`` grant; always suppressed.
- person-level exports (HTCDS, CTDC microdata) and federal reports: the ``case`` ``export`` grant,
  which only supervisors hold, at agency scope. Analysts never receive person-level rows.
- public releases (DP counts, synthetic microdata): statewide insights exporters; each spends
  privacy budget from the ledger before any noise is drawn, and is refused when over budget.

Every export and release writes an audit EXPORT entry (type and id, never content). Persons whose
consent to inclusion in statistics is not in force are left out of all of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone, translation

from beacon.access.policy import AccessDenied, Action, can, require, scope_queryset
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.cases.models import Case, Person
from beacon.insights import exports, presentation, selectors
from beacon.insights.formats import federal
from beacon.insights.formats.ctdc import CTDC_CODEBOOK, CTDC_VARIABLES, age_broad
from beacon.insights.ledger import DatabaseLedger
from beacon.insights.models import PrivacyBudgetEntry, PublishedRelease, ReleaseKind
from beacon.insights.privacy import dp
from beacon.insights.privacy.synth import synthesize
from beacon.insights.selectors import Filters, Viewer
from beacon.outreach import selectors as outreach_selectors
from beacon.reference import htcds
from beacon.web.csvsafe import iter_csv

STATEWIDE_BUDGET_SCOPE = "statewide-public"
# Below this many records the synthesizer's noisy record count can go negative, and the marginals
# it reproduces are mostly noise.
# pac-synth's noise makes small inputs fail now and then (about 1 in 10 at 100 records, none in 20 at 200).
MIN_SYNTHETIC_RECORDS = 300


def viewer(user: Any) -> Viewer:
    v = selectors.viewer_for(user)
    if v is None:
        raise AccessDenied("insights are not available to this user")
    return v


def _effective(v: Viewer, filters: Filters) -> Filters:
    # Only statewide viewers choose an agency; agency viewers are always held to their own.
    if v.statewide:
        return filters
    return Filters(filters.start, filters.end, filters.granularity, filters.region, None)


@dataclass
class PanelResult:
    table: presentation.PanelTable
    spec: dict[str, Any] | None
    viewer: Viewer


PANEL_CACHE_SECONDS = 600


def panel(user: Any, key: str, filters: Filters) -> PanelResult:
    """A panel's table and chart. Case panels are cached under the facts' version, so any change
    to the facts (a consent revoked included) makes the next request recompute."""
    v = viewer(user)
    spec = selectors.PANELS[key]
    filters = _effective(v, filters)
    cache_key = None
    if spec.subject == "cases":
        scope = "all" if v.statewide else f"agency{v.agency_id}"
        cache_key = (
            f"insights:panel:{key}:{scope}:{int(v.exact)}:{filters.cache_key()}:"
            f"{selectors.facts_version()}:{translation.get_language()}"
        )
        cached = cache.get(cache_key)
        if cached is not None:
            table, chart = cached
            return PanelResult(table=table, spec=chart, viewer=v)
    counts = selectors.counts(spec, v, filters)
    table = presentation.build_table(counts, filters.granularity, suppress=not v.exact)
    chart = presentation.chart_spec(table, counts)
    if cache_key:
        cache.set(cache_key, (table, chart), PANEL_CACHE_SECONDS)
    return PanelResult(table=table, spec=chart, viewer=v)


def panel_csv(user: Any, key: str, filters: Filters) -> Iterator[bytes]:
    """A panel's table as CSV, always suppressed (it leaves the screen)."""
    require(user, Action.EXPORT, "insights")
    v = viewer(user)
    spec = selectors.PANELS[key]
    counts = selectors.counts(spec, v, _effective(v, filters))
    table = presentation.build_table(counts, filters.granularity, suppress=True)
    record(
        user, AuditAction.EXPORT, object_type="insights.panel", object_id=key, reason=f"panel CSV {filters.cache_key()}"
    )
    return iter_csv(presentation.csv_rows(table), bom=True)


# --- Person-level exports (agency supervisors) -----------------------------------------------


def export_cases(user: Any) -> QuerySet[Case]:
    """The cases ``user`` may export with consent to statistics in force."""
    require(user, Action.EXPORT, "case")
    return scope_queryset(user, Action.EXPORT, "case", selectors.consenting_cases())


def _audit_export(user: Any, what: str, reason: str) -> None:
    with transaction.atomic():
        record(user, AuditAction.EXPORT, object_type="insights.export", object_id=what[:40], reason=reason)


def htcds_csv(user: Any, table: str) -> Iterator[bytes]:
    if table not in exports.HTCDS_TABLES:
        raise ValueError(f"unknown HTCDS table {table!r}")
    cases = export_cases(user)
    _audit_export(user, f"htcds:{table}", f"HTCDS {htcds.HTCDS_VERSION} {table} CSV")
    return iter_csv(exports.htcds_csv_rows(table, cases, user.agency), header=htcds.csv_header(table))


def htcds_json(user: Any) -> Iterator[bytes]:
    cases = export_cases(user)
    _audit_export(user, "htcds:form", f"HTCDS {htcds.HTCDS_VERSION} JSON form")
    return exports.htcds_json_chunks(cases, user.agency)


def ctdc_csv(user: Any) -> Iterator[bytes]:
    cases = export_cases(user)
    _audit_export(user, "ctdc", f"CTDC {CTDC_CODEBOOK} microdata")
    return iter_csv(exports.ctdc_csv_rows(cases), header=list(CTDC_VARIABLES))


def _outreach_rows(user: Any, period: federal.Period) -> list[list[str]]:
    """The agency's outreach in the period, from its outreach records (counts only, no clients):
    victim outreach and public awareness activities that grantees report beside client counts."""
    if user.agency_id is None or not can(user, Action.VIEW, "outreach"):
        return []
    events = outreach_selectors.events(user, start=period.start, end=period.end).filter(agency_id=user.agency_id)
    totals = outreach_selectors.totals(events)
    section = "Outreach (from outreach records)"
    return [
        [section, "Outreach events", str(totals.events)],
        [section, "People reached", str(totals.people_reached)],
        [section, "Materials handed out", str(totals.materials_distributed)],
        [section, "People who asked for follow-up", str(totals.follow_ups)],
        [section, "Counties reached", str(totals.counties)],
    ]


def federal_report(user: Any, report: str, period: federal.Period) -> list[list[str]]:
    """Rows of a federal report (exact counts for the funder) for the user's agency."""
    cases = export_cases(user)
    if report == "ovc":
        rows = federal.ovc_report(exports.client_records(cases, period), period).as_rows()
        rows += _outreach_rows(user, period)
    elif report == "nibrs":
        counts = federal.nibrs_counts(exports.offense_records(cases, period))
        rows = [
            [
                "NIBRS offense counts (derived from case types of exploitation)",
                f"{period.start.isoformat()} to {period.end.isoformat()}",
            ],
            ["Code", "Offense", "Offenses", "Incidents", "Victims"],
        ]
        rows += [
            [line.code, line.label, str(line.offenses), str(line.incidents), str(line.victims)] for line in counts.lines
        ]
        rows.append(["64A/64B", "Human trafficking incidents", "", str(counts.human_trafficking_incidents), ""])
    elif report == "closure":
        summary = federal.closure_summary(exports.closure_records(cases, period))
        rows = [
            ["Closure summary", f"{period.start.isoformat()} to {period.end.isoformat()}"],
            ["Attribute", "Value", "Cases"],
            ["Closed cases", "", str(summary.closed)],
        ]
        for name in ("reason", "living_situation", "continued_presence", "t_visa", "hhs_letter"):
            rows += [[name, value, str(n)] for value, n in getattr(summary, f"by_{name}").items()]
    else:
        raise ValueError(f"unknown federal report {report!r}")
    _audit_export(user, f"federal:{report}", f"{report} {period.start.isoformat()}..{period.end.isoformat()}")
    return rows


# --- Public releases (statewide exporters) ---------------------------------------------------


def _require_statewide_export(user: Any) -> Viewer:
    require(user, Action.EXPORT, "insights")
    v = viewer(user)
    if not v.statewide:
        raise AccessDenied("public releases are made from statewide figures")
    return v


def _persons_in(filters: Filters) -> QuerySet[Person]:
    start, end = filters.window()
    cases = selectors.consenting_cases().filter(person_id=OuterRef("pk"), opened_at__gte=start, opened_at__lt=end)
    return Person.objects.filter(Exists(cases))


def release_histograms(filters: Filters) -> dict[str, tuple[str, list[tuple[str, str]], dict[str, int]]]:
    """Exact per-person counts for the released histograms (each person in one category each)."""
    persons = _persons_in(filters).order_by()
    gender = dict(persons.values_list("gender").annotate(n=Count("pk")))
    ages: dict[str, int] = {}
    for age, n in persons.values_list("age_at_intake").annotate(n=Count("pk")):
        code = age_broad(age) if age is not None else "unknown"
        ages[code] = ages.get(code, 0) + n
    regions_of = selectors.country_regions()
    regions: dict[str, int] = {}
    for code, n in persons.values_list("citizenship").annotate(n=Count("pk")):
        region = regions_of.get(code or "", "unknown")
        regions[region] = regions.get(region, 0) + n
    gender_codes = [c for c, _label in selectors._vocab("htcds:prs_Gender")()]
    gender = {(k or "NonSpecifiedUnknown"): v for k, v in gender.items()}
    return {
        "gender": ("Persons by gender", [(c, c) for c in gender_codes], gender),
        "age": ("Persons by age group at intake", [*selectors._age_bins(), ("unknown", "unknown")], ages),
        "citizenship": (
            "Persons by region of citizenship (UN M49)",
            [*selectors._regions(), ("unknown", "unknown")],
            regions,
        ),
    }


def publish_dp_release(
    user: Any, filters: Filters, *, epsilon: float, title: str, total_budget: float | None = None
) -> PublishedRelease:
    """Noisy counts of persons (total and three histograms), charged to the statewide budget.

    The epsilon is split evenly over the four measurements (sequential composition). Categories
    are the fixed vocabularies, so none appears only because it occurs in the data.
    """
    _require_statewide_export(user)
    histograms = release_histograms(filters)
    total = _persons_in(filters).count()
    ledger = DatabaseLedger(actor=user)
    budget = total_budget if total_budget is not None else ledger.total(STATEWIDE_BUDGET_SCOPE)
    share = epsilon / (len(histograms) + 1)

    def compute(eps: float) -> dict[str, Any]:
        tables = []
        for key, (label, categories, exact) in histograms.items():
            codes = [c for c, _l in categories]
            exact = {k: v for k, v in exact.items() if k in codes}
            noisy = dp.noisy_histogram(exact, codes, share)
            tables.append({"key": key, "title": label, "categories": codes, "values": [noisy[c] for c in codes]})
        return {
            "total": dp.noisy_count(total, share),
            "tables": tables,
            "method": {
                "mechanism": "discrete Laplace (OpenDP)",
                "epsilon": eps,
                "epsilon_per_measurement": share,
                "noise_scale": dp.laplace_scale(share),
                "unit": "person",
                "consent": "persons who consented to inclusion in statistics",
                "clamped_at_zero": True,
            },
        }

    with transaction.atomic():
        released = dp.release(
            ledger,
            scope=STATEWIDE_BUDGET_SCOPE,
            who=user.get_username(),
            what=f"DP release {title[:120]} {filters.start}..{filters.end}",
            epsilon=epsilon,
            total_budget=budget,
            compute=compute,
        )
        release = PublishedRelease.objects.create(
            kind=ReleaseKind.DP,
            title=title,
            period_start=filters.start,
            period_end=filters.end,
            content=released.value,
            epsilon=epsilon,
            ledger_entry=ledger.last_row,
            created_by=user,
            published_at=timezone.now(),
        )
        record(user, AuditAction.EXPORT, release, reason=f"DP release, epsilon {epsilon:g}")
    return release


def publish_synthetic_release(
    user: Any, filters: Filters, *, epsilon: float = 4.0, title: str, total_budget: float | None = None
) -> PublishedRelease:
    """Synthetic CTDC-layout microdata (pac-synth) with its 1-, 2-, 3-way marginal errors."""
    _require_statewide_export(user)
    start, end = filters.window()
    cases = selectors.consenting_cases().filter(opened_at__gte=start, opened_at__lt=end)
    rows = list(exports.ctdc_rows(cases))
    if len(rows) < MIN_SYNTHETIC_RECORDS:
        raise ValueError(f"Synthetic data needs at least {MIN_SYNTHETIC_RECORDS} records; this period has fewer.")
    ledger = DatabaseLedger(actor=user)
    budget = total_budget if total_budget is not None else ledger.total(STATEWIDE_BUDGET_SCOPE)

    def compute(eps: float) -> dict[str, Any]:
        result = synthesize(rows, epsilon=eps)
        return {
            "columns": list(result.columns),
            "rows": [[r[c] for c in result.columns] for r in result.rows],
            "report": result.report(),
        }

    with transaction.atomic():
        released = dp.release(
            ledger,
            scope=STATEWIDE_BUDGET_SCOPE,
            who=user.get_username(),
            what=f"Synthetic CTDC release {title[:100]} {filters.start}..{filters.end}",
            epsilon=epsilon,
            total_budget=budget,
            compute=compute,
        )
        release = PublishedRelease.objects.create(
            kind=ReleaseKind.SYNTHETIC,
            title=title,
            period_start=filters.start,
            period_end=filters.end,
            content=released.value,
            epsilon=epsilon,
            ledger_entry=ledger.last_row,
            created_by=user,
            published_at=timezone.now(),
        )
        record(user, AuditAction.EXPORT, release, reason=f"synthetic release, epsilon {epsilon:g}")
    return release


def latest_release(kind: str | None = None) -> PublishedRelease | None:
    qs = PublishedRelease.objects.filter(published_at__isnull=False)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-published_at").first()


def budget_status(user: Any) -> dict[str, Any]:
    _require_statewide_export(user)
    ledger = DatabaseLedger()
    total = ledger.total(STATEWIDE_BUDGET_SCOPE)
    spent = ledger.spent(STATEWIDE_BUDGET_SCOPE)
    return {
        "scope": STATEWIDE_BUDGET_SCOPE,
        "total": total,
        "spent": spent,
        "remaining": max(0.0, total - spent),
        "entries": list(PrivacyBudgetEntry.objects.filter(budget__scope=STATEWIDE_BUDGET_SCOPE)[:20]),
    }


def parse_period(start: str, end: str) -> federal.Period:
    return federal.Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
