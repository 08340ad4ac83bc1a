"""Record builders for the standard exports, reading the database in chunks (constant memory).

Each generator takes a queryset of cases already limited by access and consent (see
``services``), reads only the columns it needs with ``iterator(chunk_size=...)`` and yields one
record at a time: HTCDS 2.0 records (JSON-form dicts, value names as stored), CTDC v2024 rows and
the neutral records the federal report functions count.

Minimum necessary: the HTCDS person table carries names, birth date, gender, languages and
citizenship, but no contact details or immigration status; case comments and descriptions are
included because HTCDS has fields for them and the export is limited to the owning agency's
supervisors.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Exists, Max, Min, OuterRef, QuerySet, Subquery

from beacon.accounts.models import Agency
from beacon.cases.models import (
    Case,
    CaseNote,
    Consent,
    Perpetrator,
    Person,
    ReliefMilestone,
    ServicePlanItem,
    TraffickingEvent,
)
from beacon.insights.formats.ctdc import CTDC_VARIABLES, CaseFacts, ctdc_row
from beacon.insights.formats.federal import SERVICE_CATEGORIES, ClientRecord, ClosureRecord, OffenseRecord, Period
from beacon.reference import htcds
from beacon.reference.vocabularies import all_vocabularies

log = logging.getLogger(__name__)
CHUNK = 2000
HTCDS_TABLES = (
    "organisation",
    "person",
    "victim",
    "perpetrator",
    "case",
    "case_comment",
    "historic_trafficking_event",
    "support_plan",
    "consent",
)


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    """Absent values are omitted in the JSON form."""
    return {k: v for k, v in record.items() if v not in (None, "", [])}


def _language(code: str) -> str | None:
    # HTCDS takes ISO 639 codes; Beacon stores BCP 47 tags such as "zh-hans".
    base = (code or "").split("-")[0].lower()
    return base if base.isalpha() and 2 <= len(base) <= 3 else None


def _spl_types() -> dict[str, str]:
    return {code: extra.get("htcds_spl_type", "") for code, _label, extra in all_vocabularies()["service_category"]}


def _case_ids(cases: QuerySet[Case]) -> QuerySet:
    return cases.order_by().values("pk")


# --- HTCDS -------------------------------------------------------------------------------------


def htcds_records(table: str, cases: QuerySet[Case], agency: Agency | None) -> Iterator[dict[str, Any]]:
    """JSON-form records of one HTCDS table for ``cases``."""
    builder = _HTCDS_BUILDERS[table]
    return builder(cases, agency)


def _organisation(cases: QuerySet[Case], agency: Agency | None) -> Iterator[dict[str, Any]]:
    agencies = [agency] if agency else Agency.objects.filter(pk__in=cases.order_by().values("agency_id"))
    for org in agencies:
        yield _clean(
            {
                "id": org.public_id,
                "org_Name": org.name,
                "org_Type": org.type,
                "org_ShippingCity": org.city,
                "org_ShippingState": "IL",
                "org_ShippingCountry": "USA",
                "org_Phone": org.phone or None,
            }
        )


def _person(cases: QuerySet[Case], agency: Agency | None) -> Iterator[dict[str, Any]]:
    persons = (
        Person.objects.filter(Exists(cases.filter(person_id=OuterRef("pk"))))
        .only(
            "public_id",
            "given_name",
            "family_name",
            "birth_date",
            "gender",
            "languages",
            "citizenship",
        )
        .order_by("pk")
    )
    for p in persons.iterator(chunk_size=CHUNK):
        languages = [lang for lang in (_language(c) for c in p.languages or []) if lang]
        yield _clean(
            {
                "id": p.public_id,
                "prs_FirstName": p.given_name,
                "prs_SecondName": p.family_name,
                "prs_Birthdate": p.birth_date or None,
                "prs_Gender": p.gender or None,
                "prs_PrimaryLanguage": languages[0] if languages else None,
                "prs_SecondaryLanguage": languages[1] if len(languages) > 1 else None,
                "prs_Citizenship": [p.citizenship] if p.citizenship else None,
            }
        )


def _victim(cases: QuerySet[Case], agency: Agency | None) -> Iterator[dict[str, Any]]:
    rows = cases.order_by("pk").values_list(
        "public_id",
        "trafficking_status",
        "trafficking_status_decided_by",
        "relationship_to_trafficker",
        "person__age_when_trafficked",
        "recruitment_websites",
        "recruitment_methods",
        "methods_of_control",
        "exploitation_types",
        "industry",
        "sex_exploitation_types",
    )
    for pid, status, decided, relation, age, sites, recruitment, control, types, industry, sex in rows.iterator(
        chunk_size=CHUNK
    ):
        yield _clean(
            {
                "id": pid,
                "vic_TraffickingStatus": status,
                "vic_TraffickingStatusDecisionMakingOrg": decided,
                "vic_RelationshipToTrafficker": relation,
                "vic_AgeWhenTrafficked": age,
                "vic_RecruitmentWebsitesAndApps": sorted(set(sites or [])),
                "vic_MethodOfRecruitment": sorted(set(recruitment or [])),
                "vic_MethodsOfControl": sorted(set(control or [])),
                "vic_TypeOfExploitation": sorted(set(types or [])),
                "vic_ForcedLabourIndustry": industry,
                "vic_TypeOfSexExploitation": sorted(set(sex or [])),
            }
        )


def _perpetrator(cases: QuerySet[Case], agency: Agency | None) -> Iterator[dict[str, Any]]:
    rows = (
        Perpetrator.objects.filter(case_id__in=_case_ids(cases))
        .only("pk", "role", "description", "case__public_id")
        .select_related("case")
        .order_by("pk")
    )
    for per in rows.iterator(chunk_size=CHUNK):
        yield _clean(
            {
                "id": f"{per.case.public_id}-P{per.pk}",
                "per_RoleInProcess": [per.role] if per.role else None,
                "per_RoleDetails": per.description,
            }
        )


def _case(cases: QuerySet[Case], agency: Agency | None) -> Iterator[dict[str, Any]]:
    for pid, status, reason in (
        cases.order_by("pk").values_list("public_id", "status", "closure_reason").iterator(chunk_size=CHUNK)
    ):
        yield _clean({"id": pid, "cas_Status": status, "cas_ReasonForCaseClosure": reason})


def _case_comment(cases: QuerySet[Case], agency: Agency | None) -> Iterator[dict[str, Any]]:
    notes = CaseNote.objects.filter(case_id__in=_case_ids(cases)).only("public_id", "body").order_by("pk")
    for note in notes.iterator(chunk_size=CHUNK):
        yield _clean({"id": note.public_id, "cco_CaseComment": note.body})


def _event(cases: QuerySet[Case], agency: Agency | None) -> Iterator[dict[str, Any]]:
    events = (
        TraffickingEvent.objects.filter(case_id__in=_case_ids(cases))
        .only(
            "pk",
            "type",
            "start_date",
            "country",
            "county_id",
            "description",
            "case__public_id",
        )
        .select_related("case")
        .order_by("pk")
    )
    for ev in events.iterator(chunk_size=CHUNK):
        yield _clean(
            {
                "id": f"{ev.case.public_id}-E{ev.pk}",
                "hte_Type": ev.type,
                "hte_Date": ev.start_date.isoformat() if ev.start_date else None,
                "hte_Country": ev.country or ("USA" if ev.county_id else None),
                "hte_State": "IL" if ev.county_id else None,
                "hte_Description": ev.description,
            }
        )


def _support_plan(cases: QuerySet[Case], agency: Agency | None) -> Iterator[dict[str, Any]]:
    spl = _spl_types()
    items = (
        ServicePlanItem.objects.filter(case_id__in=_case_ids(cases))
        .values_list("pk", "case__public_id", "category", "due_date", "completed_on")
        .order_by("pk")
    )
    for pk, case_pid, category, due, done in items.iterator(chunk_size=CHUNK):
        yield _clean(
            {
                "id": f"{case_pid}-S{pk}",
                "spl_Type": spl.get(category) or None,
                "spl_ActionPlan": category,
                "spl_PlannedEndDate": due.isoformat() if due else None,
                "spl_ActualEndDate": done.isoformat() if done else None,
            }
        )


def _consent(cases: QuerySet[Case], agency: Agency | None) -> Iterator[dict[str, Any]]:
    rows = Consent.objects.filter(case_id__in=_case_ids(cases)).values_list("public_id", "revoked_at").order_by("pk")
    for pid, revoked in rows.iterator(chunk_size=CHUNK):
        yield {"id": pid, "con_Consent": revoked is None}


_HTCDS_BUILDERS = {
    "organisation": _organisation,
    "person": _person,
    "victim": _victim,
    "perpetrator": _perpetrator,
    "case": _case,
    "case_comment": _case_comment,
    "historic_trafficking_event": _event,
    "support_plan": _support_plan,
    "consent": _consent,
}


def htcds_csv_rows(table: str, cases: QuerySet[Case], agency: Agency | None) -> Iterator[list[str]]:
    header = htcds.csv_header(table)
    for record in htcds_records(table, cases, agency):
        row = htcds.csv_row(table, record)
        yield [row[name] for name in header]


def htcds_json_chunks(cases: QuerySet[Case], agency: Agency | None) -> Iterator[bytes]:
    """The HTCDS JSON form, written record by record."""
    yield f'{{"htcds_version": "{htcds.HTCDS_VERSION}"'.encode()
    for table in HTCDS_TABLES:
        yield f', "{table}": ['.encode()
        for n, record in enumerate(htcds_records(table, cases, agency)):
            yield ((", " if n else "") + json.dumps(record, ensure_ascii=False)).encode()
        yield b"]"
    yield b"}\n"


# --- CTDC ------------------------------------------------------------------------------------


def _exploitation_events() -> QuerySet[TraffickingEvent]:
    return TraffickingEvent.objects.filter(case_id=OuterRef("pk"), type=TraffickingEvent.Type.EXPLOITATION)


def ctdc_facts(cases: QuerySet[Case]) -> Iterator[CaseFacts]:
    events = _exploitation_events()
    rows = (
        cases.order_by("pk")
        .annotate(
            ex_country=Subquery(events.exclude(country="").values("country")[:1]),
            ex_start=Subquery(events.order_by().values("case_id").annotate(m=Min("start_date")).values("m")),
            ex_end=Subquery(events.order_by().values("case_id").annotate(m=Max("end_date")).values("m")),
        )
        .values_list(
            "opened_at",
            "person__gender",
            "person__age_at_intake",
            "person__citizenship",
            "county_id",
            "methods_of_control",
            "exploitation_types",
            "industry",
            "sex_exploitation_types",
            "relationship_to_trafficker",
            "ex_country",
            "ex_start",
            "ex_end",
        )
    )
    for (
        opened,
        gender,
        age,
        citizenship,
        county,
        control,
        types,
        industry,
        sex,
        relation,
        country,
        start,
        end,
    ) in rows.iterator(chunk_size=CHUNK):
        facts: CaseFacts = {
            "registration_year": opened.year,
            "methods_of_control": control or [],
            "types_of_exploitation": types or [],
            "types_of_sex_exploitation": sex or [],
        }
        if gender:
            facts["gender"] = gender
        if age is not None:
            facts["age"] = age
        if citizenship:
            facts["citizenship"] = citizenship
        if country or county:
            facts["country_of_exploitation"] = country or "USA"
        if start and end and end >= start:
            facts["months_trafficked"] = (end.year - start.year) * 12 + end.month - start.month
        if industry:
            facts["forced_labour_industry"] = industry
        if relation:
            facts["recruiter_relations"] = [relation]
        yield facts


def ctdc_rows(cases: QuerySet[Case], skipped: list[int] | None = None) -> Iterator[dict[str, str]]:
    """CTDC rows; a record with a code outside the vocabularies is left out (and counted in ``skipped``)."""
    for facts in ctdc_facts(cases):
        try:
            yield ctdc_row(facts)
        except ValueError as exc:
            log.warning("CTDC export: record left out (%s)", exc)
            if skipped is not None:
                skipped.append(1)


def ctdc_csv_rows(cases: QuerySet[Case]) -> Iterator[list[str]]:
    for row in ctdc_rows(cases):
        yield [row[name] for name in CTDC_VARIABLES]


# --- Federal ---------------------------------------------------------------------------------

SEX_TYPES = {"SexualExploitation"}
# HTCDS types counted as labor trafficking for OVC and as involuntary servitude (NIBRS 64B).
LABOR_TYPES = {"ForcedLabour", "Servitude", "ChildLabour", "ForcedBegging"}


def _served(cases: QuerySet[Case], period: Period) -> QuerySet[Case]:
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=dt.UTC)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    return cases.filter(opened_at__lt=end).exclude(closed_at__lt=start)


def client_records(cases: QuerySet[Case], period: Period) -> list[ClientRecord]:
    """One record per person served in the period (several cases of one person are merged)."""
    served = _served(cases, period)
    services: dict[int, set[str]] = defaultdict(set)
    for case_id, category in (
        ServicePlanItem.objects.filter(case_id__in=_case_ids(served), start_date__lte=period.end)
        .exclude(status="cancelled")
        .exclude(completed_on__lt=period.start)
        .values_list("case_id", "category")
    ):
        services[case_id].add(category)
    merged: dict[str, dict[str, Any]] = {}
    for case_id, person, opened, closed, age, gender, citizenship, types, source in (
        served.order_by("opened_at")
        .values_list(
            "pk",
            "person__public_id",
            "opened_at",
            "closed_at",
            "person__age_at_intake",
            "person__gender",
            "person__citizenship",
            "exploitation_types",
            "referral_source",
        )
        .iterator(chunk_size=CHUNK)
    ):
        kinds = {"sex" for t in types or [] if t in SEX_TYPES} | {"labor" for t in types or [] if t in LABOR_TYPES}
        entry = merged.setdefault(
            person,
            {
                "intake": opened.date(),
                "closed": [],
                "open": False,
                "age": age,
                "gender": gender or None,
                "citizenship": citizenship,
                "types": set(),
                "source": source or None,
                "services": set(),
            },
        )
        entry["intake"] = min(entry["intake"], opened.date())
        if closed is None:
            entry["open"] = True
        else:
            entry["closed"].append(closed.date())
        entry["types"] |= kinds
        entry["services"] |= services.get(case_id, set())
    known = set(all_services())
    return [
        ClientRecord(
            client_id=person,
            intake_date=e["intake"],
            closed_date=None if e["open"] or not e["closed"] else max(e["closed"]),
            age_at_intake=e["age"],
            gender=e["gender"],
            trafficking_types=frozenset(e["types"]),
            citizenship_status=None
            if not e["citizenship"]
            else ("us_citizen" if e["citizenship"] == "USA" else "foreign_national"),
            referral_source=e["source"],
            services=frozenset(e["services"] & known),
        )
        for person, e in merged.items()
    ]


def all_services() -> list[str]:
    return list(SERVICE_CATEGORIES)


def offense_records(cases: QuerySet[Case], period: Period) -> Iterable[OffenseRecord]:
    """NIBRS offenses derived from case types: one incident per case, one victim per case."""
    for pid, types in _served(cases, period).values_list("public_id", "exploitation_types").iterator(chunk_size=CHUNK):
        types = set(types or [])
        if types & SEX_TYPES:
            yield OffenseRecord(pid, "64A", 1)
        if types & LABOR_TYPES:
            yield OffenseRecord(pid, "64B", 1)


def closure_records(cases: QuerySet[Case], period: Period) -> list[ClosureRecord]:
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=dt.UTC)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    closed = cases.filter(closed_at__gte=start, closed_at__lt=end)
    relief: dict[tuple[int, str], str] = {}
    # The latest milestone reached per case and kind of relief gives its status.
    for case_id, kind, milestone in (
        ReliefMilestone.objects.filter(application__case_id__in=_case_ids(closed), reached_on__isnull=False)
        .order_by("reached_on", "pk")
        .values_list("application__case_id", "application__kind", "kind")
    ):
        relief[(case_id, kind)] = milestone
    return [
        ClosureRecord(
            client_id=pid,
            reason=reason or None,
            living_situation=living or None,
            continued_presence=relief.get((pk, "continued_presence")),
            t_visa=relief.get((pk, "t_visa")),
            hhs_letter=letter or None,
        )
        for pk, pid, reason, living, letter in closed.values_list(
            "pk", "public_id", "closure_reason", "living_situation_at_closure", "hhs_letter"
        ).iterator(chunk_size=CHUNK)
    ]
