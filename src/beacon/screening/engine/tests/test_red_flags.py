"""Community red flags grade a tip's urgency; they never classify."""

from __future__ import annotations

import pytest

from beacon.screening.engine import evaluate

from .support import FLAGS

# Strong signs weigh 3, the others 2.
CASES = [
    ([], "none", 0),
    (["POOR_LIVING_CONDITIONS"], "low", 2),
    (["DEBT"], "elevated", 3),
    (["POOR_LIVING_CONDITIONS", "FEAR_AND_TRAUMA"], "elevated", 4),
    (["DEBT", "FEAR_AND_TRAUMA"], "high", 5),
    (["PHYSICAL_ABUSE", "RESTRICTED_MOVEMENT"], "high", 6),
    (["THIRD_PARTY_SPEAKS", "FORCED_ILLEGAL_ACTIVITY", "NO_CONTROL_OF_LIFE"], "high", 6),
]


@pytest.mark.parametrize(("signs", "urgency", "score"), CASES)
def test_urgency_levels(signs, urgency, score):
    data = evaluate(FLAGS, "adult-labour", dict.fromkeys(signs, "yes")).to_dict()
    assert data["determination"] == urgency
    assert data["score"]["value"] == score
    assert data["score"]["max"] == 24
    assert [s["id"] for s in data["score"]["signs"]] == [i.id for i in FLAGS.items if i.id in signs]
    assert "dimensions" not in data and "elements" not in data and "statutes" not in data


def test_unknown_signs_do_not_raise_urgency_but_are_reported():
    data = evaluate(FLAGS, "adult-sexual", {"PHYSICAL_ABUSE": "unknown", "DEBT": "declined"}).to_dict()
    assert data["determination"] == "none"
    assert data["score"] == {"value": 0, "max": 24, "could_reach": 24, "signs": []}
    assert data["unanswered"]["unknown"] == ["PHYSICAL_ABUSE"] and data["unanswered"]["declined"] == ["DEBT"]


def test_urgency_routes_to_tip_review_never_to_a_classification():
    result = evaluate(FLAGS, "adult-labour", {"PHYSICAL_ABUSE": "yes", "DEBT": "yes"})
    codes = [step.code for step in result.next_steps]
    assert codes == ["tip-urgent-review", "national-hotline"]
    assert "trafficking" not in result.route_tags


def test_texts_follow_the_requested_language():
    data = evaluate(FLAGS, "adult-labour", {"DEBT": "yes"}).to_dict(language="pl")
    assert data["score"]["signs"][0]["text"] == "Dług"
    # Texts without a Polish version fall back to English.
    assert data["determination_label"] == "Elevated urgency"
    assert (
        evaluate(FLAGS, "adult-labour", {"DEBT": "yes"}).to_dict(language="zh-hans")["score"]["signs"][0]["text"]
        == "债务"
    )


def test_the_grading_is_shown_as_unconfirmed():
    data = evaluate(FLAGS, "child-labour", {}).to_dict()
    assert data["unconfirmed"][0]["kind"] == "instrument"
