"""Rule expressions: parsing, compiling to closures, and the monotonicity check.

The grammar has no negation on purpose: every expression is monotone in the answers (a further
"yes" can only turn it from false to true), which is what makes results monotone.

    expr := ID                          an item (true when answered yes), dimension, element or finding
          | {all: [expr, ...]}  | {any: [expr, ...]}
          | {at_least: N, of: [expr, ...]}
          | {score_at_least: N}         sum of the weights of the items answered yes
          | {possible: expr}            expr, with every unanswered item taken as yes
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Ref:
    name: str


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class AtLeast:
    count: int
    parts: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class ScoreAtLeast:
    score: int


@dataclass(frozen=True, slots=True)
class Possible:
    inner: Expr


Expr = Ref | AllOf | AnyOf | AtLeast | ScoreAtLeast | Possible


class Env(Protocol):
    """What a compiled expression reads: one level (answered yes, or yes-or-unanswered)."""

    true: frozenset[str] | set[str]
    values: dict[str, bool]
    score: int
    upper: Env


Compiled = Callable[[Env], bool]


def parse(raw: Any) -> Expr:
    """Build an expression from its (already schema-checked) YAML form."""
    if isinstance(raw, str):
        return Ref(raw)
    if "all" in raw:
        return AllOf(tuple(parse(part) for part in raw["all"]))
    if "any" in raw:
        return AnyOf(tuple(parse(part) for part in raw["any"]))
    if "at_least" in raw:
        return AtLeast(int(raw["at_least"]), tuple(parse(part) for part in raw["of"]))
    if "score_at_least" in raw:
        return ScoreAtLeast(int(raw["score_at_least"]))
    return Possible(parse(raw["possible"]))


def references(expr: Expr) -> Iterator[str]:
    """Every ID the expression names."""
    if isinstance(expr, Ref):
        yield expr.name
    elif isinstance(expr, AllOf | AnyOf | AtLeast):
        for part in expr.parts:
            yield from references(part)
    elif isinstance(expr, Possible):
        yield from references(expr.inner)


def uses_score(expr: Expr) -> bool:
    if isinstance(expr, ScoreAtLeast):
        return True
    if isinstance(expr, AllOf | AnyOf | AtLeast):
        return any(uses_score(part) for part in expr.parts)
    if isinstance(expr, Possible):
        return uses_score(expr.inner)
    return False


def compile_expr(expr: Expr, item_ids: frozenset[str]) -> Compiled:
    """Turn an expression into a closure over an ``Env`` (built once, at load time)."""
    if isinstance(expr, Ref):
        name = expr.name
        if name in item_ids:
            return lambda env: name in env.true
        return lambda env: env.values[name]
    if isinstance(expr, ScoreAtLeast):
        threshold = expr.score
        return lambda env: env.score >= threshold
    if isinstance(expr, Possible):
        inner = compile_expr(expr.inner, item_ids)
        return lambda env: inner(env.upper)
    parts = tuple(compile_expr(part, item_ids) for part in expr.parts)
    if isinstance(expr, AllOf):

        def all_of(env: Env) -> bool:
            for part in parts:  # noqa: SIM110  (a plain loop: this runs on every evaluation)
                if not part(env):
                    return False
            return True

        return all_of
    if isinstance(expr, AnyOf):

        def any_of(env: Env) -> bool:
            for part in parts:  # noqa: SIM110  (a plain loop: this runs on every evaluation)
                if part(env):
                    return True
            return False

        return any_of
    needed = expr.count

    def at_least(env: Env) -> bool:
        hits = 0
        for part in parts:
            if part(env):
                hits += 1
                if hits >= needed:
                    return True
        return False

    return at_least


# --- monotonicity of the determination table -------------------------------------------------
# Each condition is a function of "atoms" (maximal sub-expressions other than all/any/possible).
# An atom is in one of three states: absent, possible (true only with unanswered items as yes),
# or found (true on the answers). Answers that add a "yes" can only raise atom states, so if
# every one-step raise of one atom keeps or raises the determination in the declared order,
# results are monotone in the answers.

_ABSENT, _POSSIBLE, _FOUND = 0, 1, 2
MAX_ATOMS = 10


def _atoms(expr: Expr, into: dict[Expr, None]) -> None:
    if isinstance(expr, AllOf | AnyOf):
        for part in expr.parts:
            _atoms(part, into)
    elif isinstance(expr, Possible):
        _atoms(expr.inner, into)
    else:
        into.setdefault(expr, None)


def _holds(expr: Expr, states: Mapping[Expr, int], upper: bool) -> bool:
    if isinstance(expr, AllOf):
        return all(_holds(part, states, upper) for part in expr.parts)
    if isinstance(expr, AnyOf):
        return any(_holds(part, states, upper) for part in expr.parts)
    if isinstance(expr, Possible):
        return _holds(expr.inner, states, True)
    state = states[expr]
    return state >= _POSSIBLE if upper else state == _FOUND


def monotonicity_violation(table: Sequence[tuple[str, int, Expr | None]]) -> str | None:
    """Describe a way the first-match table ``(id, rank, condition)`` could go down, or None."""
    found: dict[Expr, None] = {}
    for _, _, condition in table:
        if condition is not None:
            _atoms(condition, found)
    atoms = list(found)
    if len(atoms) > MAX_ATOMS:
        return f"the determinations use {len(atoms)} distinct conditions; at most {MAX_ATOMS} are allowed"
    rank = {determination: r for determination, r, _ in table}

    def pick(states: Mapping[Expr, int]) -> str:
        for determination, _, condition in table:
            if condition is None or _holds(condition, states, False):
                return determination
        raise AssertionError("the last determination has no condition")

    for combination in itertools.product((_ABSENT, _POSSIBLE, _FOUND), repeat=len(atoms)):
        states = dict(zip(atoms, combination, strict=True))
        before = pick(states)
        for atom in atoms:
            if states[atom] == _FOUND:
                continue
            raised = {**states, atom: states[atom] + 1}
            after = pick(raised)
            if after != before and rank[after] <= rank[before]:
                return (
                    f"one more yes can change '{before}' (rank {rank[before]}) "
                    f"to '{after}' (rank {rank[after]}); order the determinations so a result never goes down"
                )
    return None
