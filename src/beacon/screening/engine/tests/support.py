"""Shared helpers for the engine tests."""

from __future__ import annotations

from pathlib import Path

from beacon.screening.engine import Instrument, get_instrument

FIXTURES = Path(__file__).resolve().parent / "fixtures"
INSTRUMENTS_DIR = Path(__file__).resolve().parents[2] / "instruments"
SRC = Path(__file__).resolve().parents[4]

ILO = get_instrument("ilo-2009")
LEGAL = get_instrument("us-legal-elements")
FLAGS = get_instrument("community-red-flags")


def item_ids(instrument: Instrument, population: str) -> list[str]:
    return [item.id for item in instrument.plan(population).items]


def all_no(instrument: Instrument, population: str, **answers: str) -> dict[str, str]:
    """Every item answered no, then ``answers`` on top."""
    result = dict.fromkeys(item_ids(instrument, population), "no")
    for item in instrument.plan(population).population.implies_yes:
        result.pop(item, None)
    result.update(answers)
    return result


def yes(*items: str) -> dict[str, str]:
    return dict.fromkeys(items, "yes")


def not_lower(instrument: Instrument, after: str, before: str) -> bool:
    """``after`` is the same determination as ``before`` or ranks above it."""
    rank = {d.id: d.rank for d in instrument.determinations}
    return after == before or rank[after] > rank[before]
