"""Stored screenings: reproducible, resumable, never overwritten once finished."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import ValidationError

from beacon.access.policy import AccessDenied
from beacon.screening import services
from beacon.screening.engine import ScreeningInputError, get_instrument
from beacon.screening.models import Screening, Status
from beacon.screening.tests.conftest import CLEARED, EXPLOITATION_ONLY, TRAFFICKING

pytestmark = pytest.mark.django_db


def test_a_finished_screening_keeps_instrument_version_answers_context_and_result(staff, case, screen):
    screening = screen(staff["cw"], case=case, foreign_national=True, minor=False, immediate_danger=True)
    screening = Screening.objects.get(pk=screening.pk)
    instrument = get_instrument("ilo-2009")
    assert screening.instrument_id == "ilo-2009"
    assert screening.instrument_version == instrument.version
    assert len(screening.instrument_digest) == 64
    assert screening.answers == TRAFFICKING
    assert (screening.immediate_danger, screening.minor, screening.foreign_national) == (True, False, True)
    assert screening.status == Status.COMPLETED and screening.completed_at is not None
    assert screening.determination == "trafficking"
    assert screening.result["determination"] == "trafficking"
    steps = [step["code"] for step in screening.result["next_steps"]]
    assert steps[0] == "call-911"
    assert "immigration-legal-referral" in steps


def test_answers_and_result_are_encrypted_at_rest(staff, case, screen):
    from django.db import connection

    screening = screen(staff["cw"], case=case, notes="Met at the clinic.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers, result, notes FROM screening_screening WHERE id = %s", [screening.pk])
        answers, result, notes = cursor.fetchone()
    for raw in (answers, result, notes):
        assert "DR01" not in raw and "trafficking" not in raw and "clinic" not in raw


def test_reproduce_gives_the_same_result(staff, case, screen):
    screening = screen(staff["cw"], case=case)
    check = screening.reproduce()
    assert check.matches and check.version_matches and check.digest_matches
    assert check.determination == "trafficking"


def test_reproduce_says_so_when_the_loaded_instrument_version_differs(staff, case, screen):
    screening = screen(staff["cw"], case=case)
    Screening.objects.filter(pk=screening.pk).update(instrument_version="0.9.0")
    screening.refresh_from_db()
    check = services.reproduce(screening)
    assert not check.version_matches
    assert check.stored_version == "0.9.0" and check.loaded_version == get_instrument("ilo-2009").version
    assert "version 0.9.0" in check.message and get_instrument("ilo-2009").version in check.message


def test_reproduce_notices_a_tampered_stored_result(staff, case, screen):
    screening = screen(staff["cw"], case=case)
    screening.result = {**screening.result, "determination": "indicators-absent"}
    screening.save(update_fields=["result"])
    assert not services.reproduce(screening).matches


def test_result_does_not_depend_on_the_order_of_answers(staff, case, screen):
    first = screen(staff["cw"], case=case, answers=dict(TRAFFICKING))
    second = screen(staff["cw"], case=case, answers=dict(reversed(list(TRAFFICKING.items()))))
    assert first.result == second.result


def test_rescreening_makes_a_new_record_and_keeps_the_history(staff, case, screen):
    first = screen(staff["cw"], case=case, answers=EXPLOITATION_ONLY, foreign_national=True)
    again = services.rescreen(staff["cw"], first)
    assert again.pk != first.pk and again.status == Status.IN_PROGRESS
    assert (again.instrument_id, again.population, again.foreign_national) == ("ilo-2009", "adult-labour", True)
    with pytest.raises(ValidationError, match="safety and consent step"):
        services.complete_screening(staff["cw"], again)  # a new interview: the step comes first again
    services.record_safety_step(staff["cw"], again, **dataclasses.asdict(CLEARED))
    services.save_answers(staff["cw"], again, TRAFFICKING)
    services.complete_screening(staff["cw"], again)
    first.refresh_from_db()
    assert first.determination == "exploitation-without-means"
    assert again.determination == "trafficking"
    assert list(case.screenings.order_by("started_at", "id")) == [first, again]


def test_answers_are_merged_and_can_be_cleared(staff, case):
    screening = services.start_screening(staff["cw"], case=case, instrument_id="ilo-2009", population="adult-labour")
    services.save_answers(staff["cw"], screening, {"DR01": "yes"}, position=1)
    services.save_answers(staff["cw"], screening, {"DR02": "no"}, position=2)
    services.save_answers(staff["cw"], screening, {"DR01": ""})
    screening.refresh_from_db()
    assert screening.answers == {"DR02": "no"}
    assert screening.position == 2
    assert screening.version == 4


@pytest.mark.parametrize(
    "answers, message",
    [
        ({"ZZ99": "yes"}, "unknown item IDs"),
        ({"DR01": "maybe"}, "invalid answers"),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message(staff, case, answers, message):
    screening = services.start_screening(staff["cw"], case=case, instrument_id="ilo-2009", population="adult-labour")
    with pytest.raises(ScreeningInputError, match=message):
        services.save_answers(staff["cw"], screening, answers)


def test_unknown_instrument_or_population_is_refused(staff, case):
    with pytest.raises(ScreeningInputError, match="unknown instrument"):
        services.start_screening(staff["cw"], case=case, instrument_id="nope", population="adult-labour")
    with pytest.raises(ScreeningInputError, match="not supported"):
        services.start_screening(staff["cw"], case=case, instrument_id="ilo-2009", population="adult-sexual")
    assert not Screening.objects.exists()


def test_a_finished_screening_cannot_be_changed(staff, case, screen):
    screening = screen(staff["cw"], case=case)
    with pytest.raises(ValidationError, match="finished"):
        services.save_answers(staff["cw"], screening, {"DR03": "yes"})
    assert services.complete_screening(staff["cw"], screening).determination == "trafficking"


def test_the_same_request_key_returns_the_same_screening(staff, case):
    fields = {"case": case, "instrument_id": "ilo-2009", "population": "adult-labour", "request_key": "k1"}
    first = services.start_screening(staff["cw"], **fields)
    second = services.start_screening(staff["cw"], **fields)
    assert first.pk == second.pk
    assert Screening.objects.count() == 1


def test_only_the_screener_continues_a_screening(staff, case):
    screening = services.start_screening(staff["cw"], case=case, instrument_id="ilo-2009", population="adult-labour")
    with pytest.raises(AccessDenied):
        services.save_answers(staff["cw2"], screening, {"DR01": "yes"})


def test_a_case_outside_ones_reach_cannot_be_screened(staff, other_case):
    with pytest.raises(AccessDenied):
        services.start_screening(staff["cw"], case=other_case, instrument_id="ilo-2009", population="adult-labour")
    with pytest.raises(AccessDenied):
        services.start_screening(staff["analyst"], case=other_case, instrument_id="ilo-2009", population="adult-labour")


def test_a_tip_can_be_screened_and_belongs_to_the_tips_agency(staff, tip, agency):
    screening = services.run_screening(
        staff["hotline"],
        tip=tip,
        instrument_id="community-red-flags",
        population="adult-labour",
        answers={},
        immediate_danger=True,
        safety=CLEARED,
    )
    assert screening.agency_id == agency.pk and screening.tip_id == tip.pk
    assert screening.is_completed


def test_a_screening_needs_a_case_or_a_tip(staff):
    with pytest.raises(ValidationError):
        services.start_screening(staff["cw"], instrument_id="ilo-2009", population="adult-labour")
