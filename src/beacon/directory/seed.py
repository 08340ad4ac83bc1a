"""Demo directory entries: the demo agencies plus a few fictional community providers."""

from __future__ import annotations

import random

from django.db import transaction

from beacon.demo.seeding import SeedContext
from beacon.directory.models import Provider, ProviderService
from beacon.reference.models import County, Language

# (name, agency index or None, city, services, county FIPS served or "*", languages, populations, public)
ENTRIES = [
    (
        "Lakeshore Survivor Services",
        "0",
        "Chicago",
        ["case_management", "shelter", "counseling", "safety_planning", "interpretation"],
        ["17031", "17043", "17089", "17097", "17197"],
        ["en", "es", "pl", "uk"],
        ["adults", "women", "men", "lgbtq", "foreign_nationals", "undocumented"],
        True,
    ),
    (
        "Prairie Legal Aid for Immigrants",
        "1",
        "Chicago",
        ["legal_immigration", "legal_civil", "legal_criminal", "interpretation"],
        "*",
        ["en", "es", "zh-hans", "ar"],
        ["adults", "minors", "foreign_nationals", "undocumented"],
        True,
    ),
    (
        "Heartland Community Health Center",
        "2",
        "Rockford",
        ["health", "counseling"],
        ["17201", "17007", "17141"],
        ["en", "es"],
        ["adults", "minors", "women", "men"],
        True,
    ),
    (
        "Central Illinois Family Services",
        "4",
        "Springfield",
        ["case_management", "shelter", "employment", "financial"],
        ["17167", "17113", "17019", "17115"],
        ["en", "es"],
        ["adults", "minors", "women", "men"],
        True,
    ),
    (
        "Metro Task Force Police Unit",
        "3",
        "Chicago",
        ["safety_planning"],
        ["17031"],
        ["en", "es"],
        ["adults", "minors"],
        False,
    ),
    (
        "Riverbend Employment Partners (fictional)",
        None,
        "Peoria",
        ["employment", "financial"],
        ["17143", "17179"],
        ["en"],
        ["adults"],
        True,
    ),
    (
        "Northside Women's Shelter (fictional)",
        None,
        "Chicago",
        ["shelter", "safety_planning"],
        ["17031"],
        ["en", "es", "pl"],
        ["women", "adults", "lgbtq"],
        True,
    ),
    (
        "Little Egypt Counseling Collective (fictional)",
        None,
        "Carbondale",
        ["counseling"],
        ["17077", "17199", "17181"],
        ["en"],
        ["adults", "minors"],
        True,
    ),
]


@transaction.atomic
def seed_directory(ctx: SeedContext) -> None:
    rng = random.Random(ctx.seed)
    counties = {c.fips: c for c in County.objects.all()}
    languages = {lang.code: lang for lang in Language.objects.all()}
    created = 0
    for name, agency_key, city, services, served, langs, populations, public in ENTRIES:
        if Provider.objects.filter(name=name, city=city).exists():
            continue
        provider = Provider.objects.create(
            name=name,
            city=city,
            agency=ctx.agencies.get(agency_key) if agency_key else None,
            statewide=served == "*",
            populations=populations,
            is_public=public,
            accepting_new_clients=rng.random() > 0.15,
            capacity=rng.randint(0, 12),
            hours="Mon-Fri 9:00-17:00",
            phone=f"+1312555{rng.randint(100, 199):04d}",
            email=f"intake@{name.split()[0].lower()}.example.org",
            description="Fictional demo entry.",
        )
        if served != "*":
            provider.counties.set([counties[f] for f in served if f in counties])
        provider.languages.set([languages[c] for c in langs if c in languages])
        ProviderService.objects.bulk_create([ProviderService(provider=provider, category=s) for s in services])
        created += 1
    ctx.out(f"  directory entries: {Provider.objects.count()} ({created} new)")
