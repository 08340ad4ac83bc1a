"""Evaluating answers against an instrument: the determination, and everything that explains it.

Only "yes" counts. Every rule is evaluated twice: on the answers ("found") and with every
unanswered item (unknown, declined or not asked) taken as yes ("possible"). A "no" is the only
answer that rules an indicator out, so an instrument's determinations can tell "not enough
information" from "indicators absent". Evaluation does the minimum; ``to_dict`` builds the
explanation, in instrument order, so the output never depends on the order of the answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from beacon.screening.engine.errors import ScreeningInputError
from beacon.screening.engine.expressions import references
from beacon.screening.engine.i18n import Message, Translate, localize, message
from beacon.screening.engine.i18n import gettext_noop as _
from beacon.screening.engine.immigration import MET, NOT_MET, UNKNOWN
from beacon.screening.engine.model import ANSWERS, Determination, Instrument, Reference
from beacon.screening.engine.plan import Level, Plan
from beacon.screening.engine.routing import NextStep, ScreeningContext, next_steps_for

FOUND, POSSIBLE, ABSENT = "found", "possible", "absent"
_DEFAULT_CONTEXT = ScreeningContext()


@dataclass(frozen=True, slots=True)
class UnconfirmedFact:
    kind: str  # instrument, population, item, rule or statute
    id: str
    note: Mapping[str, str]


@dataclass(frozen=True, slots=True, eq=False)
class ScreeningResult:
    instrument: Instrument
    population: str
    determination: str
    yes: frozenset[str] | set[str]
    no: frozenset[str] | set[str]
    unknown: frozenset[str] | set[str]
    declined: frozenset[str] | set[str]
    implied_yes: tuple[str, ...]
    found: Mapping[str, bool]
    """Dimensions, elements and findings on the answers given."""
    possible: Mapping[str, bool]
    """The same with every unanswered item taken as yes."""
    score: int
    score_possible: int
    definitions: tuple[Reference, ...]
    statutes: tuple[Reference, ...]
    notes: tuple[Mapping[str, str], ...]
    context: ScreeningContext
    route_tags: frozenset[str]
    next_steps: tuple[NextStep, ...]
    severe_form: str | None = None
    """met / unknown / not-met when the instrument decides a severe form (US federal standard), else None."""
    floored: bool = False
    """The determination was raised to the population's floor."""
    stated_yes: tuple[str, ...] = ()
    """Items taken as yes from the interviewer's context (under 18), not from an answer."""
    upper_level: Level | None = field(default=None, repr=False, compare=False)
    """The "yes or unanswered" reading the rules ran on (kept to ask what one more yes would find)."""
    lower_level: Level | None = field(default=None, repr=False, compare=False)
    """The "yes" reading, likewise."""

    # --- reading the result -------------------------------------------------------------------
    @property
    def plan(self) -> Plan:
        return self.instrument.plans[self.population]

    @property
    def is_minor(self) -> bool:
        return self.context.minor or "minor" in self.route_tags

    def state(self, name: str) -> str:
        """found / possible / absent for a dimension, element or finding."""
        if self.found[name]:
            return FOUND
        return POSSIBLE if self.possible[name] else ABSENT

    @property
    def unanswered(self) -> tuple[str, ...]:
        """Items of the population not answered yes or no, in instrument order."""
        return tuple(item.id for item in self.plan.items if item.id not in self.yes and item.id not in self.no)

    @property
    def unconfirmed(self) -> tuple[UnconfirmedFact, ...]:
        """The unconfirmed facts this result used."""
        instrument, plan = self.instrument, self.plan
        facts: list[UnconfirmedFact] = []
        if instrument.unconfirmed:
            facts.append(UnconfirmedFact("instrument", instrument.id, instrument.unconfirmed))
        if plan.population.unconfirmed:
            facts.append(UnconfirmedFact("population", self.population, plan.population.unconfirmed))
        for item in plan.items:
            note = item.unconfirmed.get(self.population)
            if note is not None and item.id in self.yes:
                facts.append(UnconfirmedFact("item", item.id, note))
        for group in instrument.groups:
            pattern = instrument.patterns.get(group.pattern) if group.pattern else None
            if pattern is not None and pattern.unconfirmed:
                facts.append(UnconfirmedFact("rule", pattern.id, pattern.unconfirmed))
            if group.unconfirmed:
                facts.append(UnconfirmedFact("rule", group.id, group.unconfirmed))
        for finding_id, rule in plan.rules.items():
            if rule.unconfirmed:
                facts.append(UnconfirmedFact("rule", finding_id, rule.unconfirmed))
        for reference in (*self.definitions, *self.statutes):
            if reference.unconfirmed:
                facts.append(UnconfirmedFact("statute", reference.id, reference.unconfirmed))
        unique: dict[tuple[str, str], UnconfirmedFact] = {}
        for fact in facts:
            unique.setdefault((fact.kind, fact.id), fact)
        return tuple(unique.values())

    @property
    def reasons(self) -> tuple[Message | Mapping[str, str], ...]:
        """Plain sentences explaining the result: marked messages, or texts from the instrument."""
        instrument, plan = self.instrument, self.plan
        # Raised to the population's floor, the determination's own explanation (e.g. "5 points or
        # more") would not be true: the floor's reason replaces it.
        explanation = plan.population.floor_reason if self.floored else None
        reasons: list[Message | Mapping[str, str]] = [
            explanation or instrument.determination(self.determination).explanation
        ]
        for rule in plan.rules.values():
            if rule.description:
                reasons.append(message(_("Rule: {rule}"), rule=rule.description))
        patterns = dict.fromkeys(group.pattern for group in instrument.groups if group.pattern)
        for pattern_id in patterns:
            description = instrument.patterns[pattern_id].description
            if description:
                reasons.append(description)
        for group in instrument.groups:
            reasons.extend(self._group_reasons(group.id, group.label))
        if instrument.scored:
            reasons.append(message(_("Score: {score} of {total}."), score=self.score, total=plan.total_score))
            signs = tuple(item.text for item in plan.items if item.id in self.yes)
            if signs:
                reasons.append(message(_("Signs reported: {signs}."), signs=signs))
        reasons.extend(self.notes)
        if self.implied_yes:
            reasons.append(message(_("Taken as yes for this population: {items}."), items=", ".join(self.implied_yes)))
        if self.stated_yes:
            reasons.append(
                message(
                    _("Taken as yes because the interviewer says the person is under 18: {items}."),
                    items=", ".join(self.stated_yes),
                )
            )
        if self.context.minor:
            contradicted = [item for item in instrument.minor_items if item in self.no]
            if contradicted:
                reasons.append(
                    message(
                        _("The interviewer says the person is under 18, but {items} is answered no: check the age."),
                        items=", ".join(contradicted),
                    )
                )
        reasons.extend(self._open_findings_reasons())
        unanswered = len(self.unanswered)
        if unanswered:
            reasons.append(
                message(
                    _(
                        "Items not answered yes or no (unknown, declined or not asked): {count} of {total}. "
                        "Only a yes counts."
                    ),
                    count=unanswered,
                    total=len(plan.items),
                )
            )
        else:
            reasons.append(message(_("Every item was answered yes or no.")))
        if self.unconfirmed:
            reasons.append(message(_("Some facts this result uses are unconfirmed; they are listed with it.")))
        reasons.append(
            message(_("A screening result is an indicator for referral and further assessment, never a legal finding."))
        )
        return tuple(reasons)

    def answers(self) -> dict[str, str]:
        """The answers as given (without the items taken as yes for the population or the context)."""
        taken = {*self.implied_yes, *self.stated_yes}
        given = {item: "yes" for item in self.yes if item not in taken}
        given.update(dict.fromkeys(self.no, "no"))
        given.update(dict.fromkeys(self.unknown, "unknown"))
        given.update(dict.fromkeys(self.declined, "declined"))
        return given

    def _open_findings_reasons(self) -> list[Message]:
        """What is already established, and which open items could complete a trafficking finding.

        "Declined" and "unknown" leave an item open (docs/screening-rules.md, section 1): the result names the
        open items that matter rather than saying that too many are unanswered.
        """
        instrument = self.instrument
        pending = [
            f for f in instrument.findings if f.route == "trafficking" and not self.found[f.id] and self.possible[f.id]
        ]
        if not pending:
            return []
        reasons: list[Message] = []
        established = tuple(f.label for f in instrument.findings if self.found[f.id])
        if established:
            reasons.append(message(_("Already established: {findings}."), findings=established))
        for finding in pending:
            singles = self._completing_items(finding.id)
            if singles:
                reasons.append(
                    message(
                        _("{finding}: not ruled out. Each of these open items could complete it: {items}."),
                        finding=finding.label,
                        items=self._describe_open(singles),
                    )
                )
            else:
                reasons.append(
                    message(
                        _("{finding}: not ruled out. No single open item completes it; together these could: {items}."),
                        finding=finding.label,
                        items=self._describe_open(self._open_for(finding.id)),
                    )
                )
        return reasons

    def _completing_items(self, finding_id: str) -> list[str]:
        return [item for item in self.unanswered if self._found_with_yes(item, finding_id)]

    def _found_with_yes(self, item: str, finding_id: str) -> bool:
        """Whether ``finding_id`` would be found if the open ``item`` were answered yes.

        The same as evaluating the answers again with that yes, without the rest of an evaluation: an
        open item is already yes in the upper reading, so only the lower one changes, and the rules
        run in dependency order up to the finding.
        """
        plan = self.plan
        assert self.upper_level is not None and self.lower_level is not None  # set by evaluate()
        counts = list(self.lower_level.counts)
        slot = plan.slot_of.get(item)
        if slot is not None:
            counts[slot] += 1
        weight = plan.weight_of.get(item, 0) if plan.weight_of else 0
        lower = Level({*self.yes, item}, counts, self.score + weight)
        lower.upper = self.upper_level
        values = lower.values
        for name, check in plan.steps:
            values[name] = check(lower)
            if name == finding_id:
                return values[name]
        raise KeyError(finding_id)

    def _open_for(self, finding_id: str) -> list[str]:
        plan = self.plan
        names = set(references(plan.rules[finding_id].when))
        groups = [g.id for g in self.instrument.groups if g.id in names or g.id in _nested(self.instrument, names)]
        wanted: set[str] = {n for n in names if n in plan.item_ids}
        for group_id in groups:
            if not self.found[group_id] and self.possible[group_id]:
                wanted.update(item.id for item in plan.members[group_id])
        return [item for item in self.unanswered if item in wanted]

    def _describe_open(self, items: list[str]) -> str:
        strength_of = self.plan.strength_of
        labels = {"unknown": _("unknown"), "declined": _("declined"), "unasked": _("not asked")}
        parts = []
        for item in items:
            state = "declined" if item in self.declined else ("unknown" if item in self.unknown else "unasked")
            strength = strength_of.get(item)
            detail = labels[state] + (f", {strength}" if strength else "")
            parts.append(f"{item} ({detail})")
        return ", ".join(parts)

    def _group_reasons(self, group_id: str, label: Mapping[str, str]) -> list[Message]:
        evidence = self._evidence(group_id)
        if self.instrument.group_key == "dimensions":
            if self.found[group_id]:
                return [
                    message(
                        _("{label} is positive. Indicators answered yes: {items}."),
                        label=label,
                        items=evidence,
                    )
                ]
            if self.possible[group_id]:
                return [
                    message(
                        _(
                            "{label} is not positive on the answers given, but unanswered indicators could "
                            "make it positive: {items}."
                        ),
                        label=label,
                        items=self._open(group_id),
                    )
                ]
            if evidence:
                return [
                    message(
                        _("{label} is not positive: the indicators answered yes ({items}) do not meet the rule."),
                        label=label,
                        items=evidence,
                    )
                ]
            return []
        if self.found[group_id]:
            return [message(_("{label}: met. Answered yes: {items}."), label=label, items=evidence)]
        if self.possible[group_id]:
            return [
                message(
                    _("{label}: not shown by the answers, but unanswered items could show it: {items}."),
                    label=label,
                    items=self._open(group_id),
                )
            ]
        return [message(_("{label}: not met."), label=label)]

    def _open(self, group_id: str) -> str:
        return ", ".join(
            item.id for item in self.plan.members[group_id] if item.id not in self.yes and item.id not in self.no
        )

    def _evidence(self, group_id: str) -> str:
        strength_of = self.plan.strength_of
        parts = []
        for item in self.plan.members[group_id]:
            if item.id in self.yes:
                strength = strength_of.get(item.id)
                parts.append(f"{item.id} ({strength})" if strength else item.id)
        return ", ".join(parts)

    # --- JSON -----------------------------------------------------------------------------------
    def to_dict(self, language: str = "en", translate: Translate | None = None) -> dict[str, Any]:
        """The result as JSON-ready data; texts in ``language`` (marked messages through ``translate``)."""
        instrument, plan = self.instrument, self.plan
        determination: Determination = instrument.determination(self.determination)
        data: dict[str, Any] = {
            "instrument": {"id": instrument.id, "version": instrument.version},
            "population": self.population,
            "determination": self.determination,
            "determination_label": localize(determination.label, language),
            "findings": {finding.id: self.state(finding.id) for finding in instrument.findings},
            "legal_standard": instrument.legal_standard.id,
            "severe_form": {
                "status": self.severe_form or UNKNOWN,
                "decided_by": "screening" if self.severe_form else "legal-elements-screen",
            },
        }
        if instrument.group_key == "dimensions":
            data["dimensions"] = [self._dimension_dict(group.id, group.label, language) for group in instrument.groups]
        elif instrument.group_key == "elements":
            data["elements"] = [self._element_dict(group.id, group.label, language) for group in instrument.groups]
        if instrument.scored:
            data["score"] = {
                "value": self.score,
                "max": plan.total_score,
                "could_reach": self.score_possible,
                "signs": [
                    {"id": item.id, "text": localize(item.text, language), "weight": item.weight}
                    for item in plan.items
                    if item.id in self.yes
                ],
            }
        order = {item.id: n for n, item in enumerate(plan.items)}
        unasked = [
            item.id
            for item in plan.items
            if item.id not in self.yes
            and item.id not in self.no
            and item.id not in self.unknown
            and item.id not in self.declined
        ]
        unanswered = self.unanswered
        data["unanswered"] = {
            "count": len(unanswered),
            "items": list(unanswered),
            "unknown": sorted(self.unknown, key=order.__getitem__),
            "declined": sorted(self.declined, key=order.__getitem__),
            "unasked": unasked,
        }
        data["implied_yes"] = list(self.implied_yes)
        data["reasons"] = [_render(reason, language, translate) for reason in self.reasons]
        data["next_steps"] = [step.to_dict(language, translate) for step in self.next_steps]
        data["unconfirmed"] = [
            {"kind": fact.kind, "id": fact.id, "note": localize(fact.note, language)} for fact in self.unconfirmed
        ]
        if instrument.definitions or instrument.statutes:
            data["definitions"] = [_reference_dict(r, language) for r in self.definitions]
            data["statutes"] = [
                {
                    **_reference_dict(r, language),
                    "note": message(
                        _("May be implicated. Information for counsel, not a charge or a legal finding.")
                    ).render(language, translate),
                }
                for r in self.statutes
            ]
        return data

    def _dimension_dict(self, group_id: str, label: Mapping[str, str], language: str) -> dict[str, Any]:
        plan = self.plan
        members = plan.members[group_id]
        yes_by_strength = {strength.id: 0 for strength in self.instrument.strengths}
        items = []
        for item in members:
            if item.id in self.yes:
                strength = plan.strength_of.get(item.id)
                if strength is not None:
                    yes_by_strength[strength] += 1
                items.append({"id": item.id, "strength": strength, "text": localize(item.text, language)})
        no = sum(1 for item in members if item.id in self.no)
        return {
            "id": group_id,
            "label": localize(label, language),
            "status": "positive" if self.found[group_id] else "negative",
            "open": not self.found[group_id] and self.possible[group_id],
            "items": items,
            "counts": {
                "yes": len(items),
                "yes_by_strength": yes_by_strength,
                "no": no,
                "unanswered": len(members) - len(items) - no,
                "total": len(members),
            },
        }

    def _element_dict(self, group_id: str, label: Mapping[str, str], language: str) -> dict[str, Any]:
        members = self.plan.members[group_id]
        status = {FOUND: "met", POSSIBLE: "unknown", ABSENT: "not-met"}[self.state(group_id)]
        return {
            "id": group_id,
            "label": localize(label, language),
            "status": status,
            "evidence": [
                {"id": item.id, "text": localize(item.text, language)} for item in members if item.id in self.yes
            ],
            "unanswered": [item.id for item in members if item.id not in self.yes and item.id not in self.no],
        }


def _nested(instrument: Instrument, names: set[str]) -> set[str]:
    """Groups named by ``names`` and, through their rules, the groups those name."""
    groups = {g.id: g for g in instrument.groups}
    seen: set[str] = set()
    pending = [n for n in names if n in groups]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        when = groups[name].when
        if when is not None:
            pending.extend(n for n in references(when) if n in groups)
    return seen


def _render(text: Message | Mapping[str, str], language: str, translate: Translate | None) -> str:
    return text.render(language, translate) if isinstance(text, Message) else localize(text, language)


def _reference_dict(reference: Reference, language: str) -> dict[str, Any]:
    return {
        "id": reference.id,
        "citation": reference.citation,
        "title": localize(reference.title, language),
        "jurisdiction": reference.jurisdiction,
    }


def _input_error(instrument: Instrument, plan: Plan, answers: Mapping[Any, Any]) -> ScreeningInputError:
    bad_ids = [item for item in answers if item not in plan.item_ids]
    bad_values = [(item, value) for item, value in answers.items() if item in plan.item_ids and value not in ANSWERS]
    problems = []
    if bad_ids:
        names = ", ".join(sorted(repr(i) for i in bad_ids))
        elsewhere = sorted(str(i) for i in bad_ids if i in instrument.items_by_id)
        detail = f" ({', '.join(elsewhere)} not on the {plan.population.id} list)" if elsewhere else ""
        where = f"instrument {instrument.id!r}, population {plan.population.id!r}"
        problems.append(f"unknown item IDs for {where}: {names}{detail}")
    if bad_values:
        pairs = ", ".join(f"{item!r}: {value!r}" for item, value in sorted(bad_values, key=lambda p: repr(p[0])))
        problems.append(f"invalid answers {pairs} (allowed: {', '.join(ANSWERS)})")
    return ScreeningInputError("; ".join(problems))


def _counts(plan: Plan, chosen: set[str]) -> list[int]:
    """Items of ``chosen`` per strength slot (dimension x strength)."""
    counts = [0] * len(plan.totals)
    if counts:
        slot_of = plan.slot_of
        for item in chosen:
            slot = slot_of.get(item)
            if slot is not None:
                counts[slot] += 1
    return counts


def evaluate(
    instrument: Instrument,
    population: str,
    answers: Mapping[str, str],
    context: ScreeningContext | None = None,
) -> ScreeningResult:
    """Evaluate ``answers`` (item ID -> yes / no / unknown / declined; missing = not asked)."""
    plan = instrument.plan(population)
    if type(answers) is not dict and not isinstance(answers, Mapping):
        raise ScreeningInputError("answers must be a mapping of item ID to yes, no, unknown or declined")
    yes: set[str] = set()
    no: set[str] = set()
    unknown: set[str] = set()
    declined: set[str] = set()
    sort = {"yes": yes.add, "no": no.add, "unknown": unknown.add, "declined": declined.add}
    try:
        for item, value in answers.items():
            sort[value](item)
    except (KeyError, TypeError):  # a value that is not one of the four answers
        raise _input_error(instrument, plan, answers) from None
    if not answers.keys() <= plan.item_ids:
        raise _input_error(instrument, plan, answers)

    implied: tuple[str, ...] = ()
    if plan.population.implies_yes:
        implied = tuple(i for i in plan.population.implies_yes if i not in yes)
        for item_id in implied:
            if item_id in no:
                raise ScreeningInputError(f"{item_id} is answered no, but population {population!r} means it is yes")
            yes.add(item_id)
            unknown.discard(item_id)
            declined.discard(item_id)
    # The interviewer's "under 18" is evidence for the age element (a "no" given to it stays, and
    # the result points out the contradiction).
    stated: tuple[str, ...] = ()
    if context is not None and context.minor and plan.minor_items:
        stated = tuple(i for i in plan.minor_items if i not in yes and i not in no)
        for item_id in stated:
            yes.add(item_id)
            unknown.discard(item_id)
            declined.discard(item_id)

    yes_counts = _counts(plan, yes)
    no_counts = _counts(plan, no)
    weight_of = plan.weight_of
    yes_score = sum(map(weight_of.__getitem__, yes)) if weight_of else 0
    no_score = sum(map(weight_of.__getitem__, no)) if weight_of else 0
    upper = Level(
        plan.item_ids - no if plan.needs_item_sets else frozenset(),
        [total - n for total, n in zip(plan.totals, no_counts, strict=True)],
        plan.total_score - no_score,
    )
    lower = Level(yes, yes_counts, yes_score)
    lower.upper = upper
    found, possible = lower.values, upper.values
    for name, check in plan.steps:
        possible[name] = check(upper)
    for name, check in plan.steps:
        found[name] = check(lower)
    determination = next(d for d, condition in plan.determinations if condition is None or condition(lower))
    floor = plan.floor
    floored = floor is not None and determination.rank < floor.rank
    if floored:
        determination = floor

    tags = set(determination.route)
    tags.update(plan.population.route)
    for name, tag in plan.route_sources:
        if found[name]:
            tags.add(tag)
    if plan.population.minor:
        tags.add("minor")
    route_tags = frozenset(tags)
    context = context or _DEFAULT_CONTEXT
    severe_form = None
    if plan.severe_form:
        if any(found[name] for name in plan.severe_form):
            severe_form = MET
        elif any(possible[name] for name in plan.severe_form):
            severe_form = UNKNOWN
        else:
            severe_form = NOT_MET
    return ScreeningResult(
        instrument=instrument,
        population=population,
        determination=determination.id,
        yes=yes,
        no=no,
        unknown=unknown,
        declined=declined,
        implied_yes=implied,
        found=found,
        possible=possible,
        score=yes_score,
        score_possible=upper.score,
        definitions=tuple(r for r, condition in plan.definitions if condition(lower)),
        statutes=tuple(r for r, condition in plan.statutes if condition(lower)),
        notes=tuple(note.text for note, condition in plan.notes if condition is None or condition(lower)),
        context=context,
        route_tags=route_tags,
        next_steps=next_steps_for(
            route_tags, context, classifies_trafficking=plan.classifies_trafficking, severe_form=severe_form
        ),
        severe_form=severe_form,
        floored=floored,
        stated_yes=stated,
        upper_level=upper,
        lower_level=lower,
    )
