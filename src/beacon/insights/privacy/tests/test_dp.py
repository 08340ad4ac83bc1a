from __future__ import annotations

import statistics
import threading
from datetime import UTC

import pytest

from beacon.insights.privacy.dp import (
    BudgetExceeded,
    BudgetLedger,
    InMemoryLedger,
    laplace_scale,
    noisy_count,
    noisy_histogram,
    release,
)


def run_release(ledger, epsilon, total=1.0, scope="public-2025", calls=None):
    def compute(eps):
        if calls is not None:
            calls.append(eps)
        return noisy_count(40, eps)

    return release(
        ledger,
        scope=scope,
        who="analyst:7",
        what="cases opened in 2024",
        epsilon=epsilon,
        total_budget=total,
        compute=compute,
    )


def test_in_memory_ledger_implements_the_protocol():
    assert isinstance(InMemoryLedger(), BudgetLedger)


def test_release_records_who_when_what_and_remaining():
    ledger = InMemoryLedger()
    result = run_release(ledger, 0.25)
    assert isinstance(result.value, int)
    entry = result.entry
    assert (entry.scope, entry.who, entry.what, entry.epsilon) == (
        "public-2025",
        "analyst:7",
        "cases opened in 2024",
        0.25,
    )
    assert entry.at.tzinfo is UTC
    assert entry.spent == 0.25 and entry.remaining == 0.75
    assert ledger.spent("public-2025") == 0.25
    assert ledger.entries == [entry]


def test_over_budget_is_refused_records_nothing_and_draws_no_noise():
    ledger = InMemoryLedger()
    run_release(ledger, 0.75)
    calls: list[float] = []
    with pytest.raises(BudgetExceeded) as refused:
        run_release(ledger, 0.5, calls=calls)
    assert calls == []
    assert len(ledger.entries) == 1 and ledger.spent("public-2025") == 0.75
    message = str(refused.value)
    assert "spent 0.75" in message and "requested 0.5" in message and "remaining 0.25" in message
    assert refused.value.remaining == 0.25


def test_exactly_at_budget_is_allowed():
    ledger = InMemoryLedger()
    run_release(ledger, 0.5)
    assert run_release(ledger, 0.5).entry.remaining == 0.0
    with pytest.raises(BudgetExceeded):
        run_release(ledger, 1e-6)


def test_float_sums_that_equal_the_budget_fit():
    ledger = InMemoryLedger()
    for eps in (0.1, 0.2):
        run_release(ledger, eps, total=0.3)
    assert ledger.spent("public-2025") == pytest.approx(0.3)


def test_scopes_have_separate_budgets():
    ledger = InMemoryLedger()
    run_release(ledger, 1.0, scope="a")
    run_release(ledger, 1.0, scope="b")
    assert ledger.spent("a") == ledger.spent("b") == 1.0


def test_record_appends_without_a_check():
    ledger = InMemoryLedger()
    entry = ledger.record("imported", "admin", "release made before the ledger existed", 3.0)
    assert entry.total_budget is None and entry.remaining is None
    assert ledger.spent("imported") == 3.0


def test_non_positive_epsilon_is_rejected():
    with pytest.raises(ValueError):
        run_release(InMemoryLedger(), 0.0)
    with pytest.raises(ValueError):
        noisy_count(3, -1.0)


def test_concurrent_charges_never_overspend():
    ledger = InMemoryLedger()
    refused = []

    def worker():
        try:
            ledger.charge("s", "w", "q", 0.1, 1.0)
        except BudgetExceeded:
            refused.append(1)

    threads = [threading.Thread(target=worker) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ledger.entries) == 10 and len(refused) == 20
    assert ledger.spent("s") == pytest.approx(1.0)


def test_noisy_count_is_an_integer_and_clamped_at_zero():
    draws = [noisy_count(0, 0.5) for _ in range(300)]
    assert all(isinstance(d, int) and d >= 0 for d in draws)
    raw = [noisy_count(0, 0.5, clamp=False) for _ in range(300)]
    assert min(raw) < 0 < max(raw)  # noise really is two-sided before the clamp


def test_noise_is_centred_with_the_stated_spread():
    # Loose statistical checks: noise cannot be seeded, so no exact values are asserted.
    scale = laplace_scale(1.0)
    assert scale == pytest.approx(1.0, rel=1e-6)
    draws = [noisy_count(100, 1.0, clamp=False) for _ in range(4000)]
    assert statistics.fmean(draws) == pytest.approx(100, abs=0.2)
    # discrete Laplace with scale 1 has variance 2e^-1 / (1 - e^-1)^2 ~ 1.84
    assert 1.5 < statistics.pvariance(draws) < 2.2


def test_more_contributions_per_person_means_more_noise():
    assert laplace_scale(1.0, contributions=3) == pytest.approx(3 * laplace_scale(1.0), rel=1e-6)


def test_histogram_covers_the_declared_categories_in_order():
    cats = ["Cook", "DuPage", "Lake", "Will"]
    out = noisy_histogram({"Cook": 120, "Lake": 15}, cats, 1.0)
    assert list(out) == cats
    assert all(isinstance(v, int) and v >= 0 for v in out.values())
    assert abs(out["Cook"] - 120) < 30  # the chance of an error this large at epsilon 1 is ~1e-12


def test_histogram_rejects_undeclared_categories():
    with pytest.raises(ValueError, match="outside the declared categories"):
        noisy_histogram({"Atlantis": 3}, ["Cook"], 1.0)


def test_large_epsilon_is_nearly_exact():
    assert all(abs(noisy_count(57, 50.0) - 57) <= 1 for _ in range(50))
