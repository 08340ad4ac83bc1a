"""Loads the reference data files into the database. Idempotent: re-running updates in place."""

from __future__ import annotations

import csv
from pathlib import Path

import pycountry
from django.db import transaction

from beacon.reference import vocabularies
from beacon.reference.models import Country, County, Language, Term

DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in _rows("il_counties.csv"):
        County.objects.update_or_create(
            fips=row["fips"], defaults={"name": row["county"], "chicago_metro": row["chicago_msa"] == "1"}
        )
    counts["counties"] = County.objects.count()

    lep = {row["language_group"]: row for row in _rows("il_lep_languages_acs2018.csv")}
    for row in _rows("languages.csv"):
        group = lep.get(row["acs_group"]) if row["acs_group"] else None
        Language.objects.update_or_create(
            code=row["code"],
            defaults={
                "iso639_3": row["iso639_3"],
                "name": row["name"],
                "native_name": row["native_name"],
                "rtl": row["rtl"] == "1",
                "portal": row["portal"] == "1",
                "il_lep_rank": int(group["rank"]) if group else None,
                "il_lep_speakers": int(group["lep_speakers"]) if group else None,
            },
        )
    counts["languages"] = Language.objects.count()

    existing = set(Country.objects.values_list("alpha2", flat=True))
    Country.objects.bulk_create(
        [
            Country(alpha2=c.alpha_2, alpha3=c.alpha_3, name=getattr(c, "common_name", None) or c.name)
            for c in pycountry.countries
            if c.alpha_2 not in existing
        ]
    )
    counts["countries"] = Country.objects.count()

    for vocabulary, terms in vocabularies.all_vocabularies().items():
        for position, (code, label, extra) in enumerate(terms):
            Term.objects.update_or_create(
                vocabulary=vocabulary,
                code=code,
                defaults={"label": label, "position": position, "extra": extra},
            )
    counts["terms"] = Term.objects.count()
    return counts
