"""The in-memory form of an instrument file (built by the loader, read by the evaluator)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from beacon.screening.engine.errors import ScreeningInputError
from beacon.screening.engine.expressions import Expr
from beacon.screening.engine.i18n import LocalizedText

if TYPE_CHECKING:
    from beacon.screening.engine.plan import Plan

POPULATIONS = ("adult-labour", "adult-sexual", "child-labour", "child-sexual")
ANSWERS = ("yes", "no", "unknown", "declined")


@dataclass(frozen=True, slots=True)
class Source:
    citation: str
    note: LocalizedText | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Population:
    id: str
    label: LocalizedText
    unconfirmed: LocalizedText | None = None
    implies_yes: tuple[str, ...] = ()
    route: tuple[str, ...] = ()
    """Route tags that apply whatever the answers (a child in commercial sex: the DCFS step always)."""
    floor: str | None = None
    """The lowest determination for this population; ``floor_reason`` says why."""
    floor_reason: LocalizedText | None = None

    @property
    def minor(self) -> bool:
        return self.id.startswith("child-")


US_FEDERAL = "us-federal"


@dataclass(frozen=True, slots=True)
class LegalStandard:
    """The legal standard an instrument evaluates (``us-federal``, ``palermo`` or ``none``).

    Only the US federal definition (22 U.S.C. 7102(11)) decides whether someone is a "victim of a
    severe form of trafficking in persons", the criterion of the T visa, Continued Presence and
    the U visa: ``severe_form`` names the findings that show it. The Palermo definition behind
    the ILO/EC indicators also counts abuse of a position of vulnerability, which US law does not.
    """

    id: str
    label: LocalizedText
    severe_form: tuple[str, ...] = ()


NO_STANDARD = LegalStandard("none", {"en": "none declared"})


@dataclass(frozen=True, slots=True)
class Strength:
    id: str
    label: LocalizedText


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    text: LocalizedText
    question: LocalizedText
    help: LocalizedText
    populations: frozenset[str]
    dimension: str | None = None
    strengths: Mapping[str, str] = field(default_factory=dict)
    weight: int = 0
    unconfirmed: Mapping[str, LocalizedText] = field(default_factory=dict)
    """Population -> note, for the populations where the item's strength or wording is unconfirmed."""
    maps_to: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Pattern:
    id: str
    alternatives: tuple[tuple[tuple[tuple[str, ...], int], ...], ...]
    """Alternatives of clauses ``(strengths, minimum)``; disjoint strengths within an alternative."""
    description: LocalizedText | None = None
    unconfirmed: LocalizedText | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """A dimension (ILO) or an element (legal): positive by a strength pattern or by an expression."""

    id: str
    label: LocalizedText
    pattern: str | None = None
    when: Expr | None = None
    route: str | None = None
    unconfirmed: LocalizedText | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    when: Expr
    description: LocalizedText | None = None
    unconfirmed: LocalizedText | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    label: LocalizedText
    rules: Mapping[str, Rule]
    """Population -> the rule that decides this finding for it."""
    route: str | None = None


@dataclass(frozen=True, slots=True)
class Determination:
    id: str
    label: LocalizedText
    rank: int
    explanation: LocalizedText
    when: Expr | None = None
    route: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reference:
    """A legal definition or statute the facts may be consistent with."""

    id: str
    citation: str
    title: LocalizedText
    when: Expr
    jurisdiction: str | None = None
    kind: str | None = None
    unconfirmed: LocalizedText | None = None


@dataclass(frozen=True, slots=True)
class Note:
    text: LocalizedText
    when: Expr | None = None


@dataclass(frozen=True, eq=False)
class Instrument:
    id: str
    version: str
    title: LocalizedText
    source: Source
    languages: tuple[str, ...]
    populations: Mapping[str, Population]
    strengths: tuple[Strength, ...]
    items: tuple[Item, ...]
    group_key: str | None
    """``dimensions`` or ``elements``: the key the groups appear under in a result."""
    groups: tuple[Group, ...]
    patterns: Mapping[str, Pattern]
    findings: tuple[Finding, ...]
    determinations: tuple[Determination, ...]
    notes: tuple[Note, ...]
    definitions: tuple[Reference, ...]
    statutes: tuple[Reference, ...]
    unconfirmed: LocalizedText | None
    path: str
    items_by_id: Mapping[str, Item] = field(repr=False)
    plans: Mapping[str, Plan] = field(repr=False)
    scored: bool = False
    legal_standard: LegalStandard = NO_STANDARD
    minor_items: tuple[str, ...] = ()
    """Items taken as yes when the interviewer says the person is under 18 (``context_items.minor``)."""

    @property
    def decides_severe_form(self) -> bool:
        """Whether this instrument's result may set the "severe form" criterion met or not met."""
        return self.legal_standard.id == US_FEDERAL and bool(self.legal_standard.severe_form)

    def plan(self, population: str) -> Plan:
        try:
            return self.plans[population]
        except (KeyError, TypeError):
            supported = ", ".join(self.populations)
            raise ScreeningInputError(
                f"population {population!r} is not supported by instrument {self.id!r} (supported: {supported})"
            ) from None

    @property
    def classifies_trafficking(self) -> bool:
        """Whether a result from this instrument can say "trafficking" (a tip checklist cannot)."""
        return any("trafficking" in d.route for d in self.determinations) or any(
            f.route == "trafficking" for f in self.findings
        )

    def determination(self, determination_id: str) -> Determination:
        for determination in self.determinations:
            if determination.id == determination_id:
                return determination
        raise KeyError(determination_id)
