"""Demo tips: fictional reports in several languages, idempotent (fixed submission keys)."""

from __future__ import annotations

import random
from typing import Any

from beacon.tips.services import TipInput, submit_tip

SAMPLES = [
    (
        "es",
        "Varias personas trabajan en una fábrica de noche y no pueden salir. Un hombre guarda sus pasaportes.",
        "county",
        "17031",
        "week",
        "unknown",
        True,
        ["+1 312 555 0142"],
        ["IL AB12345"],
    ),
    (
        "en",
        "A teenager is being driven to different motels every night by an older man.",
        "county",
        "17201",
        "day",
        "yes",
        False,
        ["312-555-0199"],
        ["IL ZX9876"],
    ),
    (
        "pl",
        "Pracownicy budowlani mieszkają w przepełnionym domu i nie dostają wypłaty od dwóch miesięcy.",
        "city",
        None,
        "month",
        "no",
        False,
        ["+1 312 555 0142"],
        [],
    ),
    (
        "ar",
        "امرأة تعمل في منزل ولا يسمح لها بالخروج، وصاحب العمل أخذ جواز سفرها.",
        "county",
        "17167",
        "earlier",
        "no",
        False,
        [],
        [],
    ),
    (
        "en",
        "Job advert promising visas for restaurant work, fee of 5,000 dollars required upfront.",
        "elsewhere",
        None,
        "unknown",
        "unknown",
        False,
        ["773-555-0110"],
        [],
    ),
]


def seed_tips(ctx: Any) -> None:
    rng = random.Random(ctx.seed + 5)
    count = max(len(SAMPLES), getattr(ctx, "tips", 0) or 0)
    created = 0
    for n in range(count):
        lang, narrative, kind, county, when, child, danger, phones, plates = SAMPLES[n % len(SAMPLES)]
        data = TipInput(
            narrative=narrative,
            location_kind=kind,
            county_fips=county,
            place="Rockford" if kind == "city" else "",
            when=when,
            child_involved=child,
            danger_now=danger,
            people={"phones": phones, "plates": plates, "description": ""},
            language=lang,
            checklist={},
        )
        key = f"demo-tip-{n}"
        result = submit_tip(data, nonce=f"{key}-{rng.random()}", idempotency_key=key)
        created += int(result.created)
    ctx.out(f"tips: {created} created")
