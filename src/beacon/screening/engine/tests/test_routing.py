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
        "legal-elements-screen",
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
    assert victim["id"] == "trafficking_victim"
    # The ILO rule is the Palermo definition, not 22 U.S.C. 7102(11): it never decides a severe form.
    assert (victim["status"], victim["decided_by"]) == ("unknown", "legal-elements-screen")


KNOWN = ImmigrationFacts(
    present_in_us_on_account_of_trafficking=True,
    law_enforcement_request="complied",
    suffered_substantial_abuse=True,
    has_information_about_crime=True,
    helpful_to_law_enforcement=True,
    law_enforcement_involved="federal",
)
LEGAL_LABOUR = all_no(
    LEGAL, "adult-labour", **yes("ACT_RECRUIT", "MEANS_FRAUD", "MEANS_COERCION_LEGAL", "PURPOSE_INVOLUNTARY_SERVITUDE")
)


def statuses(prescreen):
    return {relief: prescreen.to_dict()[relief]["status"] for relief in ("t_visa", "continued_presence", "u_visa")}


def criterion(prescreen, relief, criterion_id):
    return next(c for c in prescreen.to_dict()[relief]["criteria"] if c["id"] == criterion_id)


def test_prescreen_possible_when_the_legal_elements_screen_shows_a_severe_form():
    result = evaluate(LEGAL, "adult-labour", LEGAL_LABOUR)
    assert result.severe_form == "met"
    assert statuses(immigration_prescreen(result, KNOWN)) == dict.fromkeys(
        ("t_visa", "continued_presence", "u_visa"), "possible"
    )


def test_an_ilo_result_built_on_abuse_of_vulnerability_leaves_the_severe_form_unknown():
    # Trafficking on the ILO rule with recruitment by abuse of vulnerability (VR) only: not a US means.
    answers = all_no(ILO, "adult-labour", **yes("VR01", "VR02", "VR03", "EX01", "EX02", "VD01", "VD02", "VD03"))
    result = evaluate(ILO, "adult-labour", answers, ScreeningContext(foreign_national=True))
    assert result.determination == "trafficking" and result.severe_form is None
    prescreen = immigration_prescreen(result, KNOWN)
    victim = criterion(prescreen, "t_visa", "trafficking_victim")
    assert (victim["status"], victim["decided_by"]) == ("unknown", "legal-elements-screen")
    assert "legal-elements screen" in victim["notes"][0]
    assert statuses(prescreen)["t_visa"] == "needs-more-information"
    assert "legal-elements-screen" in codes(result.next_steps)
    assert result.to_dict()["severe_form"] == {"status": "unknown", "decided_by": "legal-elements-screen"}


def test_fraud_and_threat_of_denunciation_called_exploitation_by_ilo_is_not_ruled_out():
    # DR02 (fraud about conditions) and CD09 (threat of denunciation) are one medium each: the ILO
    # rule says exploitation without means; under US law fraud plus abuse of legal process are means.
    answers = all_no(ILO, "adult-labour", **yes("DR02", "CD09", "EX01", "EX02"))
    result = evaluate(ILO, "adult-labour", answers, ScreeningContext(foreign_national=True))
    assert result.determination == "exploitation-without-means"
    found = statuses(immigration_prescreen(result, KNOWN))
    assert found["t_visa"] == found["continued_presence"] == "needs-more-information"
    assert "legal-elements-screen" in codes(result.next_steps)
    # The same facts on the legal-elements screen decide it.
    assert evaluate(LEGAL, "adult-labour", LEGAL_LABOUR).severe_form == "met"


def test_only_a_us_federal_instrument_sets_the_severe_form_not_met():
    result = evaluate(LEGAL, "adult-labour", all_no(LEGAL, "adult-labour"))
    assert result.determination == "not-consistent" and result.severe_form == "not-met"
    found = statuses(immigration_prescreen(result, KNOWN))
    assert found["t_visa"] == found["continued_presence"] == "not-indicated"
    # Trafficking is one qualifying crime among others: the U visa stays open for the attorney.
    assert found["u_visa"] == "needs-more-information"


def test_prescreen_from_insufficient_information_or_a_tip_is_never_decisive():
    for result in (evaluate(LEGAL, "adult-labour", {}), evaluate(FLAGS, "adult-labour", {"DEBT": "yes"})):
        assert set(statuses(immigration_prescreen(result, KNOWN)).values()) == {"needs-more-information"}


# --- a child in commercial sex is never routine (screening.md section 4) --------------------------


@pytest.mark.parametrize("answers", [{}, {"PHYSICAL_ABUSE": "yes"}, all_no(FLAGS, "child-sexual")])
def test_a_child_in_commercial_sex_on_the_checklist_is_high_urgency_with_dcfs(answers):
    result = evaluate(FLAGS, "child-sexual", answers)
    assert result.determination == "high"
    steps = codes(result.next_steps)
    assert steps[:2] == ["dcfs-hotline", "mandated-reporting"]
    assert "tip-urgent-review" in steps and "tip-routine-review" not in steps
    assert "7102(11)(A)" in result.to_dict()["reasons"][0]


def test_the_child_labour_checklist_keeps_its_grading():
    assert evaluate(FLAGS, "child-labour", {"DEBT": "yes"}).determination != "high"


def test_a_child_in_commercial_sex_on_the_legal_screen_gets_dcfs_whatever_the_answers():
    result = evaluate(LEGAL, "child-sexual", all_no(LEGAL, "child-sexual"))
    assert result.determination == "not-consistent"
    assert codes(result.next_steps)[:2] == ["dcfs-hotline", "mandated-reporting"]
    assert "youth-services" in codes(result.next_steps)


# --- a screener's "no" never rules relief out (screening.md section 3) ----------------------------


def test_never_asked_by_law_enforcement_is_not_refusing_a_reasonable_request():
    result = evaluate(LEGAL, "adult-labour", LEGAL_LABOUR)
    for request in ("never-asked", "refused"):
        facts = ImmigrationFacts(present_in_us_on_account_of_trafficking=True, law_enforcement_request=request)
        prescreen = immigration_prescreen(result, facts)
        cooperation = criterion(prescreen, "t_visa", "law_enforcement_cooperation")
        assert (cooperation["status"], cooperation["decided_by"]) == ("unknown", "attorney"), request
        assert statuses(prescreen)["t_visa"] == "needs-more-information"
    never = criterion(
        immigration_prescreen(result, ImmigrationFacts(law_enforcement_request="never-asked")),
        "t_visa",
        "law_enforcement_cooperation",
    )
    assert "not refusing" in never["notes"][0]


def test_substantial_abuse_is_decided_by_the_attorney_and_a_no_does_not_close_it():
    result = evaluate(LEGAL, "adult-labour", LEGAL_LABOUR)
    facts = ImmigrationFacts(
        present_in_us_on_account_of_trafficking=True,
        law_enforcement_request="complied",
        suffered_substantial_abuse=False,
        has_information_about_crime=True,
        helpful_to_law_enforcement=True,
        law_enforcement_involved="federal",
    )
    prescreen = immigration_prescreen(result, facts)
    abuse = criterion(prescreen, "u_visa", "substantial_abuse")
    assert (abuse["status"], abuse["decided_by"], abuse["screener_answered"]) == ("unknown", "attorney", "no")
    assert any("8 CFR 214.14(b)(1)" in note for note in abuse["notes"])
    assert statuses(prescreen)["u_visa"] == "needs-more-information"


def test_continued_presence_with_only_local_police_needs_a_federal_sponsor():
    result = evaluate(LEGAL, "adult-labour", LEGAL_LABOUR)
    facts = ImmigrationFacts(has_information_about_crime=True, law_enforcement_involved="local-only")
    prescreen = immigration_prescreen(result, facts)
    sponsor = criterion(prescreen, "continued_presence", "federal_law_enforcement_request")
    assert sponsor["status"] == "needs-federal-sponsor" and "federal partner" in sponsor["notes"][0]
    assert statuses(prescreen)["continued_presence"] == "needs-federal-sponsor"


def test_a_screeners_no_never_reads_not_indicated():
    result = evaluate(LEGAL, "adult-labour", LEGAL_LABOUR)
    every_no = ImmigrationFacts(
        present_in_us_on_account_of_trafficking=False,
        law_enforcement_request="refused",
        unable_to_cooperate_due_to_trauma=False,
        suffered_substantial_abuse=False,
        has_information_about_crime=False,
        helpful_to_law_enforcement=False,
        law_enforcement_involved="none",
        filed_civil_action_1595=False,
        under_16=False,
    )
    prescreen = immigration_prescreen(result, every_no)
    assert "not-indicated" not in statuses(prescreen).values()
    for relief in ("t_visa", "continued_presence", "u_visa"):
        for item in prescreen.to_dict()[relief]["criteria"]:
            assert item["status"] != "not-met"
            assert item["decided_by"] in {"screening", "attorney", "legal-elements-screen"}


def test_u_visa_under_16_a_parent_guardian_or_next_friend_may_hold_the_information():
    result = evaluate(
        LEGAL, "child-labour", all_no(LEGAL, "child-labour", **yes("ACT_RECRUIT", "MEANS_FORCE", "PURPOSE_PEONAGE"))
    )
    prescreen = immigration_prescreen(result, ImmigrationFacts(under_16=True, has_information_about_crime=False))
    for criterion_id in ("has_information", "helpful"):
        item = criterion(prescreen, "u_visa", criterion_id)
        assert item["status"] == "unknown"
        assert any("parent, guardian or next friend" in note for note in item["notes"])


def test_a_foreign_national_without_trafficking_still_gets_an_immigration_referral_for_other_crimes():
    # Peonage alone (no act or means shown): not trafficking, but peonage is a U-visa qualifying crime.
    answers = all_no(LEGAL, "adult-labour", PURPOSE_PEONAGE="yes")
    result = evaluate(LEGAL, "adult-labour", answers, ScreeningContext(foreign_national=True))
    assert result.determination == "not-consistent"
    step = next(s for s in result.next_steps if s.code == "immigration-legal-referral")
    qualifying = criterion(step.prescreen, "u_visa", "qualifying_crime")
    assert qualifying["status"] == "unknown" and "other than trafficking" in qualifying["notes"][0]
    assert "1351" in qualifying["notes"][1]
    # On the ILO list, debt bondage (peonage may apply) does the same for an "indicators absent" result.
    ilo = evaluate(
        ILO, "adult-labour", all_no(ILO, "adult-labour", CR04="yes"), ScreeningContext(foreign_national=True)
    )
    assert ilo.determination == "indicators-absent"
    assert "immigration-legal-referral" in codes(ilo.next_steps)


def test_hhs_step_eligibility_letter_for_a_child_certification_for_an_adult():
    child = evaluate(LEGAL, "child-sexual", {}, ScreeningContext(foreign_national=True))
    assert "hhs-eligibility-letter" in codes(child.next_steps)
    letter = next(s for s in child.next_steps if s.code == "hhs-eligibility-letter")
    assert "no cooperation with law enforcement" in letter.text.render()
    adult = evaluate(LEGAL, "adult-labour", LEGAL_LABOUR, ScreeningContext(foreign_national=True))
    step = next(s for s in adult.next_steps if s.code == "hhs-certification")
    assert "bona fide T visa application or Continued Presence" in step.text.render()
    assert "hhs-eligibility-letter" not in codes(adult.next_steps)


def test_prescreen_never_says_eligible():
    result = evaluate(LEGAL, "adult-labour", LEGAL_LABOUR, ScreeningContext(foreign_national=True))
    text = json.dumps(result.to_dict()) + json.dumps(immigration_prescreen(result, KNOWN).to_dict())
    assert not re.search(r"\beligible\b", text, re.IGNORECASE)
    assert "possible eligibility" in text
    prescreen = json.dumps(immigration_prescreen(result, KNOWN).to_dict())
    statuses_used = set(re.findall(r'"status": "([a-z-]+)"', prescreen))
    assert statuses_used <= {
        "met",
        "not-met",
        "unknown",
        "needs-federal-sponsor",
        "possible",
        "needs-more-information",
        "not-indicated",
    }


def test_t_visa_citation_is_the_2024_rule():
    prescreen = immigration_prescreen(evaluate(LEGAL, "adult-labour", LEGAL_LABOUR)).to_dict()
    assert "8 CFR 214.200-214.216" in prescreen["t_visa"]["citation"]
    assert "214.11" not in json.dumps(prescreen)
