"""Differentially private counts and histograms, and the privacy-budget ledger they spend from.

Mechanism: OpenDP's ``make_laplace`` on integers, which samples the discrete Laplace (geometric)
distribution exactly, so the released values are whole numbers with pure epsilon-DP. The noise
scale is the smallest one OpenDP itself certifies for the requested epsilon (a binary search on
the measurement's privacy map), so the stated epsilon is what the library proves, not our algebra.

Neighbouring data sets differ by one person. ``contributions`` is the most records one person can
add to the counted population (1 when counting people; more when counting cases or services per
person, which the caller must bound); it is the sensitivity of a count and the L1 sensitivity of a
histogram over disjoint categories.

Post-processing (no privacy cost): released values are clamped at zero by default, because a
negative count confuses readers; the clamp biases small counts upwards, which a published
release should say (``clamp=False`` gives the unbiased values). Histograms are over a category
set fixed in advance: a category appearing only because it occurs in the data would itself
disclose something.

Noise comes from OpenDP's own secure random source, which offers no seed; what makes a release
reproducible is its ledger entry (who, when, what, epsilon), not its values.

Budget: every release goes through :func:`release`, which charges the ledger before any noise is
drawn. ``BudgetLedger.charge`` must check and record in one atomic step (a database ledger: one
transaction that locks the scope's row, e.g. ``SELECT ... FOR UPDATE``, sums, checks and inserts),
so two concurrent releases cannot both fit under the same remaining budget.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Generic, Protocol, TypeVar, runtime_checkable

import opendp.prelude as dp

dp.enable_features("contrib")

T = TypeVar("T")

# Budgets are floats in storage; sums like 0.1 + 0.2 must still fit a total of 0.3.
BUDGET_TOLERANCE = 1e-9


class BudgetExceeded(Exception):
    def __init__(self, scope: str, spent: float, requested: float, total_budget: float) -> None:
        self.scope = scope
        self.spent = spent
        self.requested = requested
        self.total_budget = total_budget
        self.remaining = max(0.0, total_budget - spent)
        super().__init__(
            f"privacy budget exceeded for {scope!r}: spent {spent:g}, requested {requested:g}, "
            f"remaining {self.remaining:g} of {total_budget:g}"
        )


@dataclass(frozen=True)
class LedgerEntry:
    scope: str
    who: str
    what: str
    epsilon: float
    at: datetime  # UTC
    spent: float  # in the scope, including this entry
    total_budget: float | None  # None when recorded without a check

    @property
    def remaining(self) -> float | None:
        return None if self.total_budget is None else max(0.0, self.total_budget - self.spent)


@runtime_checkable
class BudgetLedger(Protocol):
    def spent(self, scope: str) -> float:
        """Epsilon spent so far in ``scope``."""
        ...

    def record(self, scope: str, who: str, what: str, epsilon: float) -> LedgerEntry:
        """Append an entry unconditionally (imports, corrections)."""
        ...

    def charge(self, scope: str, who: str, what: str, epsilon: float, total_budget: float) -> LedgerEntry:
        """Atomically: raise BudgetExceeded (recording nothing) if ``epsilon`` does not fit in
        ``total_budget`` given what ``scope`` has spent, else record it and return the entry."""
        ...


def check_budget(scope: str, spent: float, epsilon: float, total_budget: float) -> None:
    """The refusal rule shared by ledger implementations."""
    if not epsilon > 0:
        raise ValueError("epsilon must be positive")
    if spent + epsilon > total_budget + BUDGET_TOLERANCE:
        raise BudgetExceeded(scope, spent, epsilon, total_budget)


@dataclass
class InMemoryLedger:
    """A ledger for tests and scripts; a lock makes ``charge`` atomic within one process."""

    entries: list[LedgerEntry] = field(default_factory=list)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def spent(self, scope: str) -> float:
        return sum(e.epsilon for e in self.entries if e.scope == scope)

    def record(self, scope: str, who: str, what: str, epsilon: float) -> LedgerEntry:
        with self._lock:
            return self._append(scope, who, what, epsilon, None)

    def charge(self, scope: str, who: str, what: str, epsilon: float, total_budget: float) -> LedgerEntry:
        with self._lock:
            check_budget(scope, self.spent(scope), epsilon, total_budget)
            return self._append(scope, who, what, epsilon, total_budget)

    def _append(self, scope: str, who: str, what: str, epsilon: float, total: float | None) -> LedgerEntry:
        entry = LedgerEntry(scope, who, what, epsilon, self.clock(), self.spent(scope) + epsilon, total)
        self.entries.append(entry)
        return entry


@dataclass(frozen=True)
class Release(Generic[T]):
    value: T
    entry: LedgerEntry


def release(
    ledger: BudgetLedger,
    *,
    scope: str,
    who: str,
    what: str,
    epsilon: float,
    total_budget: float,
    compute: Callable[[float], T],
) -> Release[T]:
    """Charge ``epsilon`` to ``scope`` and only then run ``compute(epsilon)``.

    Charging first means a failure after the charge loses budget rather than ever releasing
    uncharged noise. ``compute`` receives the charged epsilon so the two cannot disagree.
    """
    entry = ledger.charge(scope, who, what, epsilon, total_budget)
    return Release(compute(epsilon), entry)


@lru_cache(maxsize=256)
def _scale(epsilon: float, contributions: int) -> float:
    if not epsilon > 0:
        raise ValueError("epsilon must be positive")
    if contributions < 1:
        raise ValueError("contributions must be at least 1")
    return float(
        dp.binary_search_param(
            lambda scale: dp.m.make_laplace(dp.atom_domain(T=int), dp.absolute_distance(T=int), scale=scale),
            d_in=contributions,
            d_out=epsilon,
        )
    )


@lru_cache(maxsize=256)
def _mechanism(epsilon: float, contributions: int, vector: bool) -> dp.Measurement:
    space = (
        (dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int))
        if vector
        else (dp.atom_domain(T=int), dp.absolute_distance(T=int))
    )
    measurement = dp.m.make_laplace(*space, scale=_scale(epsilon, contributions))
    if measurement.map(contributions) > epsilon:  # OpenDP's own accounting is the authority
        raise RuntimeError("noise scale does not meet the requested epsilon")
    return measurement


def noisy_count(true_count: int, epsilon: float, *, contributions: int = 1, clamp: bool = True) -> int:
    """The count plus discrete Laplace noise, epsilon-DP for ``contributions`` records per person."""
    measurement = _mechanism(epsilon, contributions, vector=False)
    noisy = int(measurement(int(true_count)))
    return max(0, noisy) if clamp else noisy


def noisy_histogram(
    counts: Mapping[str, int],
    categories: Sequence[str],
    epsilon: float,
    *,
    contributions: int = 1,
    clamp: bool = True,
) -> dict[str, int]:
    """Noisy counts for every category in ``categories`` (missing ones count 0), in that order.

    Each person falls in one category per record, so the whole histogram costs ``epsilon`` once.
    """
    unknown = set(counts) - set(categories)
    if unknown:
        raise ValueError(f"counts outside the declared categories: {sorted(unknown)}")
    if len(set(categories)) != len(categories):
        raise ValueError("categories must be distinct")
    measurement = _mechanism(epsilon, contributions, vector=True)
    noisy = measurement([int(counts.get(c, 0)) for c in categories])
    return {c: (max(0, int(v)) if clamp else int(v)) for c, v in zip(categories, noisy, strict=True)}


def laplace_scale(epsilon: float, *, contributions: int = 1) -> float:
    """The noise scale a release at ``epsilon`` uses (standard deviation is scale * sqrt(2)),
    for stating the expected error next to a published figure."""
    return _scale(epsilon, contributions)
