"""Demo screenings on a few demo cases: finished ones with a history, and one in progress to resume.

Idempotent: each demo screening carries a fixed request key, so a second run finds it and adds nothing.
Answers are drawn with the seed's random generator, so every run makes the same screenings.
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

from django.db import transaction

from beacon.cases.models import OPEN_STATUSES, Case
from beacon.demo.seeding import SeedContext
from beacon.screening import services
from beacon.screening.engine import get_instrument
from beacon.screening.models import Interpreter, Mode, Screening

# Every demo interview passed the safety and consent step, as a real one must before any question.
CLEARED = services.SafetyStep(
    safe_to_talk=True,
    interpreter=Interpreter.NOT_NEEDED,
    confidentiality_explained=True,
    right_to_stop_explained=True,
    agreed_to_continue=True,
)

DEMO_CASES = 6
# (instrument, population, share of yes, finished?)
PLANS = [
    ("ilo-2009", "adult-labour", 0.25, True),
    ("ilo-2009", "adult-labour", 0.08, True),
    ("us-legal-elements", "adult-sexual", 0.3, True),
    ("ilo-2009", "adult-labour", 0.15, True),
    ("us-legal-elements", "adult-labour", 0.2, True),
    ("ilo-2009", "adult-labour", 0.2, False),
]


def _answers(
    rng: random.Random, instrument_id: str, population: str, yes_share: float, limit: int | None = None
) -> dict[str, str]:
    plan = get_instrument(instrument_id).plan(population)
    implied = set(plan.population.implies_yes)
    answers = {}
    for item in plan.items[:limit]:
        if item.id in implied:
            continue
        roll = rng.random()
        if roll < yes_share:
            answers[item.id] = "yes"
        elif roll < yes_share + 0.55:
            answers[item.id] = "no"
        elif roll < yes_share + 0.75:
            answers[item.id] = "unknown"
        elif roll < yes_share + 0.8:
            answers[item.id] = "declined"
    return answers


def _demo_cases(ctx: SeedContext) -> list[Case]:
    owner = ctx.users.get("caseworker")
    qs = Case.objects.select_related("person", "owner").filter(status__in=OPEN_STATUSES).order_by("pk")
    qs = qs.filter(owner=owner) if owner is not None else qs.filter(owner__isnull=False)
    return list(qs[:DEMO_CASES])


@transaction.atomic
def seed_screenings(ctx: SeedContext) -> None:
    cases = _demo_cases(ctx)
    if not cases:
        ctx.out("  screenings: no open demo cases with an owner, nothing added")
        return
    added = 0
    for index, (case, (instrument_id, population, yes_share, finished)) in enumerate(zip(cases, PLANS, strict=False)):
        rng = random.Random(ctx.seed + index)
        actor: Any = case.owner
        key = f"demo-{index}"
        if Screening.objects.filter(screener=actor, request_key=key).exists():
            continue
        foreign = bool(case.person.citizenship) and case.person.citizenship != "USA"
        minor = bool(case.person.minor_at_intake)
        if minor and population.startswith("adult-"):
            population = population.replace("adult-", "child-")
        if finished:
            if index == 0:  # an earlier screening of the same person, so the history shows two
                services.run_screening(
                    actor,
                    instrument_id=instrument_id,
                    population=population,
                    answers=_answers(rng, instrument_id, population, yes_share / 2, limit=20),
                    case=case,
                    foreign_national=foreign,
                    minor=minor,
                    request_key=f"{key}-earlier",
                    safety=CLEARED,
                )
            services.run_screening(
                actor,
                instrument_id=instrument_id,
                population=population,
                answers=_answers(rng, instrument_id, population, yes_share),
                case=case,
                foreign_national=foreign,
                minor=minor,
                request_key=key,
                safety=CLEARED,
            )
        else:
            screening = services.start_screening(
                actor,
                instrument_id=instrument_id,
                population=population,
                case=case,
                mode=Mode.ONE_AT_A_TIME,
                foreign_national=foreign,
                minor=minor,
                request_key=key,
            )
            services.record_safety_step(actor, screening, **dataclasses.asdict(CLEARED))
            answers = _answers(rng, instrument_id, population, yes_share, limit=12)
            services.save_answers(actor, screening, answers, position=12)
        added += 1
    ctx.out(f"  screenings: {Screening.objects.count()} ({added} demo cases screened now)")
