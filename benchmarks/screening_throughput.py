"""Throughput of the screening engine on a batch of random screenings (fixed seed).

    python benchmarks/screening_throughput.py [--count 100000] [--seed 2009]

Prints evaluations per second and per-evaluation p50 / p99 for ``evaluate`` (the hot path an
intake form or an import calls), then the same for ``evaluate`` followed by ``to_dict`` and JSON,
on a sample. Targets: at least 20,000 evaluations a second; one evaluation well under 1 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

try:
    from beacon.screening.engine import ScreeningContext, evaluate, get_instrument
except ImportError:  # a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from beacon.screening.engine import ScreeningContext, evaluate, get_instrument

# (instrument, population, share of the batch)
MIX = [
    ("ilo-2009", "adult-labour", 0.35),
    ("ilo-2009", "child-labour", 0.15),
    ("us-legal-elements", "adult-sexual", 0.10),
    ("us-legal-elements", "adult-labour", 0.10),
    ("us-legal-elements", "child-sexual", 0.10),
    ("community-red-flags", "adult-labour", 0.20),
]
# yes / no / unknown / declined / not asked
VALUES = ["yes", "no", "unknown", "declined", None]
WEIGHTS = [0.20, 0.45, 0.10, 0.05, 0.20]


def make_batch(count: int, seed: int) -> list[tuple]:
    rng = random.Random(seed)
    kinds = [(get_instrument(i), p) for i, p, _ in MIX]
    shares = [share for _, _, share in MIX]
    batch = []
    for _ in range(count):
        instrument, population = rng.choices(kinds, shares)[0]
        plan = instrument.plan(population)
        implied = set(plan.population.implies_yes)
        answers = {}
        for item in plan.items:
            value = rng.choices(VALUES, WEIGHTS)[0]
            if value is not None and not (value == "no" and item.id in implied):
                answers[item.id] = value
        context = ScreeningContext(rng.random() < 0.1, rng.random() < 0.1, rng.random() < 0.2)
        batch.append((instrument, population, answers, context))
    return batch


def percentile(sorted_ns: list[int], q: float) -> float:
    return sorted_ns[min(len(sorted_ns) - 1, int(q * len(sorted_ns)))] / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2009)
    args = parser.parse_args()

    batch = make_batch(args.count, args.seed)
    for instrument, population, answers, context in batch[:1000]:  # warm up
        evaluate(instrument, population, answers, context)

    clock = time.perf_counter_ns
    # Throughput: the whole batch, untimed per call.
    started = clock()
    for instrument, population, answers, context in batch:
        evaluate(instrument, population, answers, context)
    wall = (clock() - started) / 1e9

    # Latency: the same batch, each call timed.
    durations: list[int] = []
    by_kind: dict[str, list[int]] = defaultdict(list)
    determinations: dict[str, int] = defaultdict(int)
    for instrument, population, answers, context in batch:
        t0 = clock()
        result = evaluate(instrument, population, answers, context)
        elapsed = clock() - t0
        durations.append(elapsed)
        by_kind[f"{instrument.id} {population}"].append(elapsed)
        determinations[result.determination] += 1

    durations.sort()
    print(f"screening engine: {args.count:,} random screenings (seed {args.seed})")
    print(
        f"  evaluate: {args.count / wall:,.0f} evaluations/s ({wall:.2f} s for the batch); "
        f"p50 {percentile(durations, 0.50):.1f} us, p99 {percentile(durations, 0.99):.1f} us, "
        f"max {durations[-1] / 1000:.1f} us"
    )
    for kind, values in sorted(by_kind.items()):
        values.sort()
        print(
            f"    {kind:<36} n={len(values):>6,}  p50 {percentile(values, 0.5):6.1f} us  "
            f"p99 {percentile(values, 0.99):6.1f} us"
        )
    print("  determinations: " + ", ".join(f"{k} {v:,}" for k, v in sorted(determinations.items())))

    sample = batch[: min(10_000, len(batch))]
    full: list[int] = []
    for instrument, population, answers, context in sample:
        t0 = clock()
        json.dumps(evaluate(instrument, population, answers, context).to_dict())
        full.append(clock() - t0)
    full.sort()
    print(
        f"  evaluate + to_dict + json ({len(sample):,} of them): {len(sample) / (sum(full) / 1e9):,.0f}/s; "
        f"p50 {percentile(full, 0.50):.1f} us, p99 {percentile(full, 0.99):.1f} us"
    )


if __name__ == "__main__":
    main()
