"""Federal reporting: OVC semiannual client counts, NIBRS human-trafficking offense counts and an
HHS-style closure summary, computed from neutral records (no Django).

OVC counts come from a definition file (``data/ovc_semiannual.yaml``) rather than code, because
the exact element list is still to be confirmed: the file says so (``provisional`` and ``note``)
and every report computed from it carries that mark. Each line item filters the clients served in
the period with a tiny, safe expression: a mapping of field -> allowed values (all fields must
match; a many-valued field matches when any value is allowed). Nothing is evaluated as code.

Fields a filter can use (``FIELDS``), derived from a :class:`ClientRecord` and the period:

- ``period_status``: new (intake within the period), continuing (intake before the period and not
  closed before it started), not_served.
- ``age_group``: adult (18 or over at intake), minor, unknown.
- ``trafficking_type``: sex, labor, both, unknown.
- ``gender``: the HTCDS prs_Gender value name (NonSpecifiedUnknown when missing).
- ``nationality``: foreign_national, us_citizen_or_lpr, unknown.
- ``referral_source``: federal_le, state_local_le, community_provider, self, hotline, other, unknown.
- ``services``: the service categories (``SERVICE_CATEGORIES``) the client received in the period.

The counts are exact: they go to the funder, not the public. Apply ``privacy.suppression`` before
publishing any of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from beacon.reference.htcds import vocabulary

DATA = Path(__file__).parent / "data"
OVC_DEFINITION = DATA / "ovc_semiannual.yaml"
ADULT_AGE = 18
UNKNOWN = "unknown"

TRAFFICKING_TYPES = ("sex", "labor")
CITIZENSHIP_STATUSES = ("us_citizen", "lawful_permanent_resident", "foreign_national")
REFERRAL_SOURCES = ("federal_le", "state_local_le", "community_provider", "self", "hotline", "other")
# The service category codes of Beacon's reference data (reference/data/service_categories.csv).
SERVICE_CATEGORIES = (
    "case_management",
    "legal_criminal",
    "legal_civil",
    "legal_immigration",
    "counseling",
    "health",
    "shelter",
    "employment",
    "financial",
    "interpretation",
    "safety_planning",
)


def _fields() -> dict[str, frozenset[str]]:
    return {
        "period_status": frozenset({"new", "continuing", "not_served"}),
        "age_group": frozenset({"adult", "minor", UNKNOWN}),
        "trafficking_type": frozenset({"sex", "labor", "both", UNKNOWN}),
        "gender": frozenset(name for name, _ in vocabulary("prs_Gender")),
        "nationality": frozenset({"foreign_national", "us_citizen_or_lpr", UNKNOWN}),
        "referral_source": frozenset({*REFERRAL_SOURCES, UNKNOWN}),
        "services": frozenset(SERVICE_CATEGORIES),
    }


FIELDS: dict[str, frozenset[str]] = _fields()

_DEFINITION_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["id", "label", "version", "provisional", "population", "items"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "label": {"type": "string", "minLength": 1},
        "version": {"type": "integer"},
        "provisional": {"type": "boolean"},
        "note": {"type": "string"},
        "population": {"$ref": "#/$defs/where"},
        "items": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "section", "label", "where"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z0-9_]+$"},
                    "section": {"type": "string"},
                    "label": {"type": "string"},
                    "where": {"$ref": "#/$defs/where"},
                },
            },
        },
    },
    "$defs": {
        "where": {
            "type": "object",
            "propertyNames": {"enum": sorted(FIELDS)},
            "additionalProperties": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        }
    },
}


class DefinitionError(ValueError):
    pass


# --- OVC client counts -------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientRecord:
    client_id: str
    intake_date: date
    closed_date: date | None = None
    age_at_intake: int | None = None
    gender: str | None = None  # HTCDS prs_Gender value name
    trafficking_types: frozenset[str] = frozenset()  # subset of TRAFFICKING_TYPES
    citizenship_status: str | None = None  # one of CITIZENSHIP_STATUSES
    referral_source: str | None = None  # one of REFERRAL_SOURCES
    services: frozenset[str] = frozenset()  # SERVICE_CATEGORIES received in the period


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("period ends before it starts")


@dataclass(frozen=True)
class LineItem:
    id: str
    section: str
    label: str
    where: Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class ReportDefinition:
    id: str
    label: str
    version: int
    provisional: bool
    note: str
    population: Mapping[str, frozenset[str]]
    items: tuple[LineItem, ...]


@dataclass(frozen=True)
class ReportLine:
    id: str
    section: str
    label: str
    count: int


@dataclass(frozen=True)
class Report:
    definition_id: str
    definition_version: int
    label: str
    provisional: bool
    note: str
    period: Period
    lines: tuple[ReportLine, ...]

    @property
    def mark(self) -> str:
        """The caveat to show with the report ("" when the definition is settled)."""
        return f"PROVISIONAL: {self.note}" if self.provisional else ""

    def counts(self) -> dict[str, int]:
        return {line.id: line.count for line in self.lines}

    def as_rows(self) -> list[list[str]]:
        """Rows for a CSV or a table: the mark first when there is one, then section/label/count."""
        rows = [[self.mark]] if self.mark else []
        rows.append([self.label, f"{self.period.start.isoformat()} to {self.period.end.isoformat()}"])
        rows.append(["Section", "Item", "Count"])
        rows.extend([line.section, line.label, str(line.count)] for line in self.lines)
        return rows

    def render_text(self) -> str:
        out = [self.mark] if self.mark else []
        out.append(f"{self.label}, {self.period.start.isoformat()} to {self.period.end.isoformat()}")
        section = None
        for line in self.lines:
            if line.section != section:
                section = line.section
                out.append(f"\n{section}")
            out.append(f"  {line.label}: {line.count}")
        return "\n".join(out)


def load_definition(path: Path = OVC_DEFINITION) -> ReportDefinition:
    """Read and check a definition file; errors name the item and the offending field or value."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = [
        f"{'/'.join(str(p) for p in e.path) or '(file)'}: {e.message}"
        for e in Draft202012Validator(_DEFINITION_SCHEMA).iter_errors(raw)
    ]
    if problems:
        raise DefinitionError(f"{path.name}: " + "; ".join(problems))
    ids = [item["id"] for item in raw["items"]]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise DefinitionError(f"{path.name}: duplicate item ids {duplicates}")
    return ReportDefinition(
        id=raw["id"],
        label=raw["label"],
        version=raw["version"],
        provisional=raw["provisional"],
        note=raw.get("note", ""),
        population=_where(raw["population"], "population"),
        items=tuple(
            LineItem(item["id"], item["section"], item["label"], _where(item["where"], item["id"]))
            for item in raw["items"]
        ),
    )


def _where(raw: Mapping[str, list[str]], where: str) -> dict[str, frozenset[str]]:
    out = {}
    for name, values in raw.items():
        unknown = set(values) - FIELDS[name]
        if unknown:
            raise DefinitionError(f"{where}: {name} has no values {sorted(unknown)}")
        out[name] = frozenset(values)
    return out


def client_facts(client: ClientRecord, period: Period) -> dict[str, frozenset[str]]:
    """The values of every filter field for one client in one period."""
    if client.intake_date > period.end or (client.closed_date and client.closed_date < period.start):
        status = "not_served"
    elif client.intake_date >= period.start:
        status = "new"
    else:
        status = "continuing"
    age = UNKNOWN if client.age_at_intake is None else "adult" if client.age_at_intake >= ADULT_AGE else "minor"
    types = client.trafficking_types & set(TRAFFICKING_TYPES)
    kind = "both" if len(types) == 2 else next(iter(types)) if types else UNKNOWN
    if client.citizenship_status is None:
        nationality = UNKNOWN
    elif client.citizenship_status == "foreign_national":
        nationality = "foreign_national"
    else:
        nationality = "us_citizen_or_lpr"
    facts = {
        "period_status": frozenset({status}),
        "age_group": frozenset({age}),
        "trafficking_type": frozenset({kind}),
        "gender": frozenset({client.gender or "NonSpecifiedUnknown"}),
        "nationality": frozenset({nationality}),
        "referral_source": frozenset({client.referral_source or UNKNOWN}),
        "services": frozenset(client.services),
    }
    for name, values in facts.items():
        unknown = values - FIELDS[name]
        if unknown:
            raise ValueError(f"client {client.client_id}: unknown {name} {sorted(unknown)}")
    if client.trafficking_types - set(TRAFFICKING_TYPES):
        raise ValueError(f"client {client.client_id}: unknown trafficking types")
    if client.citizenship_status not in (None, *CITIZENSHIP_STATUSES):
        raise ValueError(f"client {client.client_id}: unknown citizenship status")
    return facts


def matches(facts: Mapping[str, frozenset[str]], where: Mapping[str, frozenset[str]]) -> bool:
    return all(facts[name] & allowed for name, allowed in where.items())


def ovc_report(clients: Iterable[ClientRecord], period: Period, definition: ReportDefinition | None = None) -> Report:
    """Count each line item over the clients served in ``period``; a client counts once per item."""
    definition = definition or load_definition()
    counts: Counter[str] = Counter()
    seen: set[str] = set()
    for client in clients:
        if client.client_id in seen:
            raise ValueError(f"client {client.client_id} appears twice")
        seen.add(client.client_id)
        facts = client_facts(client, period)
        if not matches(facts, definition.population):
            continue
        counts.update(item.id for item in definition.items if matches(facts, item.where))
    return Report(
        definition_id=definition.id,
        definition_version=definition.version,
        label=definition.label,
        provisional=definition.provisional,
        note=definition.note,
        period=period,
        lines=tuple(ReportLine(i.id, i.section, i.label, counts[i.id]) for i in definition.items),
    )


# --- NIBRS -------------------------------------------------------------------------------------

NIBRS_OFFENSES = {
    "64A": "Human Trafficking, Commercial Sex Acts",
    "64B": "Human Trafficking, Involuntary Servitude",
    "40A": "Prostitution",
    "40B": "Assisting or Promoting Prostitution",
    "40C": "Purchasing Prostitution",
}
HUMAN_TRAFFICKING_OFFENSES = frozenset({"64A", "64B"})


@dataclass(frozen=True)
class OffenseRecord:
    incident_id: str
    offense_code: str  # NIBRS offense code, e.g. "64A"
    victim_count: int = 0


@dataclass(frozen=True)
class NibrsLine:
    code: str
    label: str
    offenses: int
    incidents: int
    victims: int


@dataclass(frozen=True)
class NibrsCounts:
    lines: tuple[NibrsLine, ...]  # 64A, 64B, 40A, 40B, 40C in that order
    human_trafficking_incidents: int  # incidents with a 64A or 64B offense
    other_offenses: int  # records with codes outside NIBRS_OFFENSES, not counted above

    def by_code(self) -> dict[str, NibrsLine]:
        return {line.code: line for line in self.lines}


def nibrs_counts(offenses: Iterable[OffenseRecord]) -> NibrsCounts:
    records: Counter[str] = Counter()
    victims: Counter[str] = Counter()
    incidents: dict[str, set[str]] = {code: set() for code in NIBRS_OFFENSES}
    other = 0
    for offense in offenses:
        code = offense.offense_code.strip().upper()
        if code not in NIBRS_OFFENSES:
            other += 1
            continue
        records[code] += 1
        victims[code] += offense.victim_count
        incidents[code].add(offense.incident_id)
    trafficking = set().union(*(incidents[c] for c in HUMAN_TRAFFICKING_OFFENSES))
    return NibrsCounts(
        lines=tuple(
            NibrsLine(code, label, records[code], len(incidents[code]), victims[code])
            for code, label in NIBRS_OFFENSES.items()
        ),
        human_trafficking_incidents=len(trafficking),
        other_offenses=other,
    )


# --- HHS-style closure summary -----------------------------------------------------------------


@dataclass(frozen=True)
class ClosureRecord:
    client_id: str
    reason: str | None = None
    living_situation: str | None = None
    continued_presence: str | None = None  # Continued Presence status
    t_visa: str | None = None  # T-visa status
    hhs_letter: str | None = None  # HHS certification or eligibility letter


@dataclass(frozen=True)
class ClosureSummary:
    closed: int
    by_reason: dict[str, int] = field(default_factory=dict)
    by_living_situation: dict[str, int] = field(default_factory=dict)
    by_continued_presence: dict[str, int] = field(default_factory=dict)
    by_t_visa: dict[str, int] = field(default_factory=dict)
    by_hhs_letter: dict[str, int] = field(default_factory=dict)


_CLOSURE_ATTRIBUTES = ("reason", "living_situation", "continued_presence", "t_visa", "hhs_letter")


def closure_summary(closures: Iterable[ClosureRecord]) -> ClosureSummary:
    """Counts of closed cases by each closure attribute; missing values count as "unknown".

    The codes are whatever the case records use; this only tallies them (largest first).
    """
    tallies: dict[str, Counter[str]] = {name: Counter() for name in _CLOSURE_ATTRIBUTES}
    closed = 0
    for closure in closures:
        closed += 1
        for name, tally in tallies.items():
            tally[getattr(closure, name) or UNKNOWN] += 1

    def ordered(tally: Counter[str]) -> dict[str, int]:
        return dict(sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))

    return ClosureSummary(
        closed=closed,
        by_reason=ordered(tallies["reason"]),
        by_living_situation=ordered(tallies["living_situation"]),
        by_continued_presence=ordered(tallies["continued_presence"]),
        by_t_visa=ordered(tallies["t_visa"]),
        by_hhs_letter=ordered(tallies["hhs_letter"]),
    )
