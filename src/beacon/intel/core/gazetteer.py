"""A compact gazetteer: Illinois places -> county FIPS, plus large US cities elsewhere.

Data files and their sources are listed in data/README.md.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .models import Place
from .normalise import CACHE_MAX


@dataclass(slots=True, frozen=True)
class Entry:
    city: str
    state: str
    county_fips: str | None
    county: str | None
    ambiguous: bool


def _rows(name: str) -> list[dict[str, str]]:
    with resources.files(__package__).joinpath("data").joinpath(name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@cache
def states() -> dict[str, str]:
    """Postal abbreviation -> state name."""
    return {r["abbr"]: r["name"] for r in _rows("us_states.csv")}


@cache
def counties() -> dict[str, str]:
    """Illinois county FIPS -> county name."""
    return {r["fips"]: r["county"] for r in _rows("il_counties.csv")}


@cache
def _state_lookup() -> dict[str, str]:
    out = {}
    for abbr, name in states().items():
        out[abbr.lower()] = abbr
        out[name.lower()] = abbr
    out["ill"] = "IL"
    out["ill."] = "IL"
    return out


@cache
def entries() -> dict[str, list[Entry]]:
    """Lower-cased city name -> its entries (Illinois first)."""
    out: dict[str, list[Entry]] = {}
    for r in _rows("il_places.csv"):
        e = Entry(r["city"], "IL", r["county_fips"], r["county"], r["ambiguous"] == "1")
        out.setdefault(e.city.lower(), []).append(e)
    for r in _rows("us_cities.csv"):
        e = Entry(r["city"], r["state"], None, None, r["ambiguous"] == "1")
        out.setdefault(e.city.lower(), []).append(e)
    return out


def state_abbr(text: str) -> str | None:
    return _state_lookup().get(text.strip().lower().rstrip("."))


def _trie_regex(words: Iterable[str]) -> str:
    """A prefix-factored alternation, so the regex engine tests few branches per position."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        ends = "" in node
        alts = [re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if ends else body

    return walk(trie)


@cache
def _text_regex() -> re.Pattern[str]:
    names = sorted({e.city for es in entries().values() for e in es})
    states_alt = "|".join(sorted({*states(), *states().values(), "Ill."}, key=len, reverse=True))
    # case-sensitive on purpose: place names are capitalised, and "normal"/"marion" are not places
    return re.compile(rf"({_trie_regex(names)})(?![\w])(?:,?\s*({states_alt})(?![\w]))?")


def _pick(name: str, state: str | None, from_field: bool) -> Entry | None:
    cands = entries().get(name.lower())
    if not cands:
        return None
    if state:
        for e in cands:
            if e.state == state:
                return e
        return Entry(cands[0].city, state, None, None, False)
    e = cands[0]
    if e.ambiguous and not from_field:
        return None
    return e


def _place(e: Entry, raw: str, span: tuple[int, int] | None) -> Place:
    return Place(city=e.city, state=e.state, county_fips=e.county_fips, county=e.county, raw=raw, span=span)


_LOCATION_CACHE: dict[str, Place | None] = {}


def resolve_location(location: str) -> Place | None:
    """Resolve a location field such as "Chicago, IL", "Houston, Texas" or "Joliet"."""
    hit = _LOCATION_CACHE.get(location, "")  # type: ignore[arg-type]
    if hit != "":
        return hit  # type: ignore[return-value]
    place: Place | None = None
    parts = [p.strip() for p in location.split(",") if p.strip()]
    if parts:
        state = state_abbr(parts[1]) if len(parts) > 1 else None
        e = _pick(parts[0], state, from_field=True)
        if e is None and len(parts) == 1 and " " in parts[0]:  # "Chicago IL"
            head, _, tail = parts[0].rpartition(" ")
            st = state_abbr(tail)
            if st:
                e = _pick(head, st, from_field=True)
        if e is not None:
            place = _place(e, location, None)
    if len(_LOCATION_CACHE) < CACHE_MAX:
        _LOCATION_CACHE[location] = place
    return place


# (name, state as written) -> the entry it resolves to in free text, or None
_TEXT_PICKS: dict[tuple[str, str | None], Entry | None] = {}


def find_places(text: str) -> Iterator[Place]:
    """Places mentioned in free text (ambiguous names only with a state after them)."""
    for m in _text_regex().finditer(text):
        s = m.start()
        if s and (text[s - 1].isalnum() or text[s - 1] == "_"):
            continue
        key = m.group(1, 2)
        if key in _TEXT_PICKS:
            e = _TEXT_PICKS[key]
        else:
            e = _pick(key[0], state_abbr(key[1]) if key[1] else None, from_field=False)
            if len(_TEXT_PICKS) < CACHE_MAX:
                _TEXT_PICKS[key] = e
        if e is not None:
            yield _place(e, m.group(), m.span())
