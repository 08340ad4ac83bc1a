"""Next steps and the immigration pre-screen."""

from __future__ import annotations

import json
import re

import pytest

from beacon.screening.engine import (
    SERVICE_CATEGORIES,
    ImmigrationFacts,
    ScreeningContext,
    evaluate,
    immigration_prescreen,
    route,
)

from .support import FLAGS, ILO, LEGAL, all_no, yes

TRAFFICKING = all_no(ILO, "adult-labour", **yes("DR01", "DR02", "EX01", "EX02", "CD01", "CD02"))
EXPLOITATION = all_no(ILO, "adult-labour", **yes("EX01", "EX02"))
ABSENT = all_no(ILO, "adult-labour")


def codes(steps):
    return [step.code for step in steps]


def test_immediate_danger_comes_first_even_when_nothing_is_found():
    steps = route(evaluate(ILO, "adult-labour", ABSENT), immediate_danger=True)
    assert codes(steps) == ["call-911", "national-hotline"]
    assert steps[0].phones[0].number == "911"


def test_national_hotline_is_always_last():
    hotline = route(evaluate(ILO, "adult-labour", ABSENT))[-1]
    assert hotline.code == "national-hotline"
    assert [(p.kind, p.number) for p in hotline.phones] == [("call", "1-888-373-7888"), ("text", "233733")]


def test_minor_routes_to_dcfs_mandated_reporting_and_youth_services():
    steps = route(evaluate(ILO, "adult-labour", TRAFFICKING), minor=True)
    assert codes(steps) == [
        "dcfs-hotline",
        "mandated-reporting",
        "trafficking-services-referral",
        "youth-services",
        "national-hotline",
    ]
    dcfs = steps[0].phones[0]
    assert dcfs.number == "1-800-252-2873" and "1-800-25-ABUSE" in dcfs.display


def test_a_child_population_counts_as_a_minor():
    result = evaluate(ILO, "child-labour", {"EX01": "yes"})
    assert result.is_minor and "dcfs-hotline" in codes(result.next_steps)


def test_no_hotline_referral_for_a_minor_without_concern():
    assert codes(route(evaluate(ILO, "adult-labour", ABSENT), minor=True)) == ["national-hotline"]


def test_labour_exploitation_without_means_goes_to_labour_rights():
    result = evaluate(ILO, "adult-labour", EXPLOITATION)
    assert result.determination == "exploitation-without-means"
    step = next(s for s in result.next_steps if s.code == "labour-rights-referral")
    assert "wage claim" in step.text.render()
    assert "trafficking-services-referral" not in codes(result.next_steps)


def test_trafficking_is_not_sent_to_labour_rights_alone():
    assert "labour-rights-referral" not in codes(evaluate(ILO, "adult-labour", TRAFFICKING).next_steps)


def test_services_come_from_the_list():
    contexts = [ScreeningContext(True, True, True), ScreeningContext()]
    for answers in (TRAFFICKING, EXPLOITATION, ABSENT, {}):
        for context in contexts:
            for step in evaluate(ILO, "adult-labour", answers, context).next_steps:
                assert set(step.services) <= set(SERVICE_CATEGORIES), step.code
                assert re.fullmatch(r"[a-z0-9-]+", step.code)
                assert step.text.render().endswith(".")


def test_route_is_pure_and_matches_evaluate():
    result = evaluate(ILO, "adult-labour", TRAFFICKING, ScreeningContext(foreign_national=True))
    assert route(result, foreign_national=True) == route(result, foreign_national=True) == result.next_steps


def test_foreign_national_gets_an_immigration_referral_with_a_prescreen():
    result = evaluate(ILO, "adult-labour", TRAFFICKING, ScreeningContext(foreign_national=True))
    step = next(s for s in result.next_steps if s.code == "immigration-legal-referral")
    assert {"legal_immigration", "interpretation"} <= set(step.services)
    prescreen = step.to_dict()["prescreen"]
    assert prescreen["t_visa"]["status"] == "needs-more-information"
    victim = prescreen["t_visa"]["criteria"][0]
    assert (victim["id"], victim["status"]) == ("trafficking_victim", "met")


KNOWN = ImmigrationFacts(
    present_in_us_on_account_of_trafficking=True,
    complied_with_law_enforcement_requests=True,
    suffered_substantial_abuse=True,
    has_information_about_crime=True,
    helpful_to_law_enforcement=True,
    federal_law_enforcement_involved=True,
)


def statuses(prescreen):
    return {
        relief: prescreen.to_dict()[relief]["status"] for relief in ("t_visa", "continued_presence", "u_visa")
    }


def test_prescreen_possible_when_the_screening_criteria_are_met():
    result = evaluate(ILO, "adult-labour", TRAFFICKING)
    assert statuses(immigration_prescreen(result, KNOWN)) == dict.fromkeys(
        ("t_visa", "continued_presence", "u_visa"), "possible"
    )


@pytest.mark.parametrize(
    ("facts", "minor", "t_visa"),
    [
        (ImmigrationFacts(present_in_us_on_account_of_trafficking=True), False, "needs-more-information"),
        (
            ImmigrationFacts(
                present_in_us_on_account_of_trafficking=True,
                complied_with_law_enforcement_requests=False,
                unable_to_cooperate_due_to_trauma=False,
            ),
            False,
            "not-indicated",
        ),
        (
            ImmigrationFacts(
                present_in_us_on_account_of_trafficking=True,
                complied_with_law_enforcement_requests=False,
                unable_to_cooperate_due_to_trauma=True,
            ),
            False,
            "possible",
        ),
        (
            ImmigrationFacts(
                present_in_us_on_account_of_trafficking=True,
                complied_with_law_enforcement_requests=False,
                unable_to_cooperate_due_to_trauma=False,
            ),
            True,
            "possible",
        ),
        (ImmigrationFacts(present_in_us_on_account_of_trafficking=False), True, "not-indicated"),
    ],
    ids=["cooperation-unknown", "did-not-cooperate", "trauma-exception", "minor-exception", "not-present"],
)
def test_t_visa_cooperation_and_its_exceptions(facts, minor, t_visa):
    result = evaluate(ILO, "adult-labour", TRAFFICKING)
    assert statuses(immigration_prescreen(result, facts, minor=minor))["t_visa"] == t_visa


def test_prescreen_when_trafficking_is_not_indicated():
    result = evaluate(ILO, "adult-labour", EXPLOITATION)
    found = statuses(immigration_prescreen(result, KNOWN))
    assert found["t_visa"] == found["continued_presence"] == "not-indicated"
    # Trafficking is one qualifying crime among others: the U visa stays open for the attorney.
    assert found["u_visa"] == "needs-more-information"


def test_prescreen_from_insufficient_information_or_a_tip_is_never_decisive():
    for result in (evaluate(LEGAL, "adult-labour", {}), evaluate(FLAGS, "adult-labour", {"DEBT": "yes"})):
        assert set(statuses(immigration_prescreen(result, KNOWN)).values()) == {"needs-more-information"}


def test_prescreen_never_says_eligible():
    result = evaluate(ILO, "adult-labour", TRAFFICKING, ScreeningContext(foreign_national=True))
    text = json.dumps(result.to_dict()) + json.dumps(immigration_prescreen(result, KNOWN).to_dict())
    assert not re.search(r"\beligible\b", text, re.IGNORECASE)
    assert "possible eligibility" in text
    prescreen = json.dumps(immigration_prescreen(result, KNOWN).to_dict())
    statuses_used = set(re.findall(r'"status": "([a-z-]+)"', prescreen))
    assert statuses_used <= {
        "met",
        "not-met",
        "unknown",
        "possible",
        "needs-more-information",
        "not-indicated",
    }
