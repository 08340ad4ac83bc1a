"""Per-population evaluation plans, compiled once when an instrument is loaded.

Evaluating must be fast (tens of microseconds), so everything that does not depend on the
answers is worked out here: which items belong to the population, the strength slot each item
counts in, totals per slot (so "yes or unanswered" counts are totals minus "no" counts), and the
rules compiled to closures in dependency order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from beacon.screening.engine.expressions import Compiled, Expr, compile_expr, references
from beacon.screening.engine.model import (
    Determination,
    Group,
    Instrument,
    Item,
    Note,
    Pattern,
    Population,
    Reference,
    Rule,
)


class Level:
    """One reading of the answers: "found" (yes only) or "possible" (yes or unanswered)."""

    __slots__ = ("counts", "score", "true", "upper", "values")

    def __init__(self, true: frozenset[str] | set[str], counts: list[int], score: int) -> None:
        self.true = true
        self.counts = counts
        self.score = score
        self.values: dict[str, bool] = {}
        self.upper: Level = self


@dataclass(frozen=True, slots=True)
class Plan:
    population: Population
    items: tuple[Item, ...]
    """The population's items, in instrument order."""
    item_ids: frozenset[str]
    slot_of: Mapping[str, int]
    """Item -> its count slot (dimension x strength), for items counted by a strength pattern."""
    weight_of: Mapping[str, int]
    """Item -> weight, for scored instruments (empty otherwise)."""
    totals: tuple[int, ...]
    total_score: int
    steps: tuple[tuple[str, Compiled], ...]
    determinations: tuple[tuple[Determination, Compiled | None], ...]
    definitions: tuple[tuple[Reference, Compiled], ...]
    statutes: tuple[tuple[Reference, Compiled], ...]
    notes: tuple[tuple[Note, Compiled | None], ...]
    rules: Mapping[str, Rule]
    """Finding -> the rule used for this population."""
    members: Mapping[str, tuple[Item, ...]]
    """Group -> the items that can be evidence for it."""
    strength_of: Mapping[str, str]
    needs_item_sets: bool
    route_sources: tuple[tuple[str, str], ...]
    """(dimension, element or finding, route tag) pairs: the tag applies when it is found."""
    classifies_trafficking: bool
    floor: Determination | None = None
    """The population's lowest determination (a child in commercial sex is never routine)."""
    minor_items: tuple[str, ...] = ()
    """Items of this population taken as yes when the interviewer says the person is under 18."""
    severe_form: tuple[str, ...] = ()
    """Findings that decide "victim of a severe form" (US federal standard only; empty otherwise)."""


def dependency_order(depends_on: Mapping[str, set[str]]) -> list[str]:
    """Order names so each comes after what it depends on; ValueError names a cycle."""
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = [*trail[trail.index(name) :], name]
            raise ValueError("rules refer to each other in a cycle: " + " -> ".join(cycle))
        state[name] = 1
        for dependency in sorted(depends_on[name]):
            if dependency in depends_on:
                visit(dependency, [*trail, name])
        state[name] = 2
        order.append(name)

    for name in depends_on:
        visit(name, [])
    return order


def _pattern_check(pattern: Pattern, base: int, strength_index: Mapping[str, int]) -> Compiled:
    """One dimension's strength pattern as a function of a level's counts.

    Generated once, at load, from integers only (count slots and minimums): a flat boolean
    expression runs several times faster than walking the pattern's nested lists each time.
    """
    alternatives = []
    for alternative in pattern.alternatives:
        clauses = []
        for strengths, minimum in alternative:
            total = " + ".join(f"c[{base + int(strength_index[s])}]" for s in strengths)
            clauses.append(f"{total} >= {int(minimum)}")
        alternatives.append("(" + " and ".join(clauses) + ")")
    source = f"def positive(level):\n    c = level.counts\n    return {' or '.join(alternatives)}\n"
    namespace: dict[str, Compiled] = {}
    exec(compile(source, f"<pattern {pattern.id}>", "exec"), {"__builtins__": {}}, namespace)  # noqa: S102
    return namespace["positive"]


def compile_plan(instrument: Instrument, population_id: str) -> Plan:
    population = instrument.populations[population_id]
    items = tuple(item for item in instrument.items if population_id in item.populations)
    item_ids = frozenset(item.id for item in items)
    # Every item of the instrument is an item in rules, even one not asked for this population
    # (it is then never true).
    item_names = frozenset(item.id for item in instrument.items)
    strength_index = {strength.id: n for n, strength in enumerate(instrument.strengths)}
    width = len(strength_index)

    pattern_groups = [group for group in instrument.groups if group.pattern is not None]
    base = {group.id: n * width for n, group in enumerate(pattern_groups)}
    totals = [0] * (len(pattern_groups) * width)
    slot_of: dict[str, int] = {}
    strength_of: dict[str, str] = {}
    for item in items:
        strength = item.strengths.get(population_id)
        if strength is not None:
            strength_of[item.id] = strength
            if item.dimension in base:
                slot_of[item.id] = slot = base[item.dimension] + strength_index[strength]
                totals[slot] += 1

    rules = {finding.id: finding.rules[population_id] for finding in instrument.findings}
    expressions: dict[str, Expr | None] = {group.id: group.when for group in instrument.groups}
    expressions.update({finding_id: rule.when for finding_id, rule in rules.items()})
    depends_on = {name: set(references(expr)) if expr is not None else set() for name, expr in expressions.items()}
    steps: list[tuple[str, Compiled]] = []
    groups = {group.id: group for group in instrument.groups}
    for name in dependency_order(depends_on):
        group = groups.get(name)
        if group is not None and group.pattern is not None:
            check = _pattern_check(instrument.patterns[group.pattern], base[name], strength_index)
            steps.append((name, check))
        else:
            expr = expressions[name]
            assert expr is not None
            steps.append((name, compile_expr(expr, item_names)))

    all_exprs: list[Expr] = [e for e in expressions.values() if e is not None]
    all_exprs += [d.when for d in instrument.determinations if d.when is not None]
    all_exprs += [r.when for r in (*instrument.definitions, *instrument.statutes)]
    all_exprs += [n.when for n in instrument.notes if n.when is not None]
    needs_item_sets = any(name in item_names for expr in all_exprs for name in references(expr))

    def optional(expr: Expr | None) -> Compiled | None:
        return None if expr is None else compile_expr(expr, item_names)

    return Plan(
        population=population,
        items=items,
        item_ids=item_ids,
        slot_of=slot_of,
        weight_of={item.id: item.weight for item in items} if instrument.scored else {},
        totals=tuple(totals),
        total_score=sum(item.weight for item in items),
        steps=tuple(steps),
        determinations=tuple((d, optional(d.when)) for d in instrument.determinations),
        definitions=tuple((r, compile_expr(r.when, item_names)) for r in instrument.definitions),
        statutes=tuple((r, compile_expr(r.when, item_names)) for r in instrument.statutes),
        notes=tuple((n, optional(n.when)) for n in instrument.notes),
        rules=rules,
        members={group.id: _members(group, groups, items) for group in instrument.groups},
        strength_of=strength_of,
        needs_item_sets=needs_item_sets,
        route_sources=tuple((x.id, x.route) for x in (*instrument.groups, *instrument.findings) if x.route),
        classifies_trafficking=instrument.classifies_trafficking,
        floor=instrument.determination(population.floor) if population.floor else None,
        minor_items=tuple(i for i in instrument.minor_items if i in item_ids and i not in population.implies_yes),
        severe_form=instrument.legal_standard.severe_form if instrument.decides_severe_form else (),
    )


def _members(group: Group, groups: Mapping[str, Group], items: tuple[Item, ...]) -> tuple[Item, ...]:
    """Items of the group's own dimension plus the items its rule names, directly or through groups."""
    named: set[str] = set()
    pending = [group.id]
    seen: set[str] = set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        when = groups[current].when
        if when is not None:
            for name in references(when):
                named.add(name)
                if name in groups:
                    pending.append(name)
    return tuple(item for item in items if item.id in named or item.dimension in seen)
