"""ILO/EC rules, table by table: per-dimension patterns, adult and child combinations, and the
difference between "not enough information" and "indicators absent"."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beacon.screening.engine import evaluate

from .support import ILO, all_no, item_ids, yes

DIMENSIONS = ("DR", "CR", "VR", "EX", "CD", "VD")

# (case, items answered yes, positive for adults)
DIMENSION_CASES = [
    ("2 strong", ["CD01", "CD02"], True),
    ("4 strong", ["CD01", "CD02", "CD03", "CD04"], True),
    ("1 strong + 1 medium", ["CD01", "CD05"], True),
    ("1 strong + 1 weak", ["CD01", "CD15"], True),
    ("3 medium", ["CD05", "CD06", "CD07"], True),
    ("2 medium + 1 weak", ["CD05", "CD06", "CD15"], True),
    ("1 strong", ["CD01"], False),
    ("2 medium", ["CD05", "CD06"], False),
    ("1 medium + 1 weak", ["CD05", "CD15"], False),
    ("1 medium + 2 weak", ["VD01", "VD06", "VD07"], False),
    ("2 weak", ["VD06", "VD07"], False),
    ("1 medium", ["CD05"], False),
    ("1 weak", ["CD15"], False),
    ("nothing", [], False),
]


def dimension(result, dimension_id):
    return next(d for d in result.to_dict()["dimensions"] if d["id"] == dimension_id)


@pytest.mark.parametrize(("case", "items", "positive"), DIMENSION_CASES, ids=[c[0] for c in DIMENSION_CASES])
def test_adult_dimension_rule(case, items, positive):
    result = evaluate(ILO, "adult-labour", all_no(ILO, "adult-labour", **yes(*items)))
    dim = items[0][:2] if items else "CD"
    data = dimension(result, dim)
    assert data["status"] == ("positive" if positive else "negative")
    assert [i["id"] for i in data["items"]] == items
    assert data["counts"]["yes"] == len(items)
    assert data["open"] is False  # everything else is answered no


# Child list: no weak tier, and some indicators become strong.
CHILD_CASES = [
    ("adult 1M+2W is 3 medium", ["VD01", "VD06", "VD07"], False, True),
    ("DR10 strong + DR02", ["DR10", "DR02"], False, True),
    ("CR02 and CR04 strong", ["CR02", "CR04"], False, True),
    ("CD12 strong + CD15 medium", ["CD12", "CD15"], False, True),
    ("two former weak are 2 medium", ["VD06", "VD07"], False, False),
    ("CD05 alone is 1 strong", ["CD05"], False, False),
    ("CR07 + CR08", ["CR07", "CR08"], False, True),
]


@pytest.mark.parametrize(("case", "items", "adult", "child"), CHILD_CASES, ids=[c[0] for c in CHILD_CASES])
def test_child_dimension_strengths(case, items, adult, child):
    for population, positive in (("adult-labour", adult), ("child-labour", child)):
        result = evaluate(ILO, population, all_no(ILO, population, **yes(*items)))
        assert dimension(result, items[0][:2])["status"] == ("positive" if positive else "negative"), population


def test_child_list_refuses_items_that_are_not_on_it():
    with pytest.raises(Exception, match=r"VR08.*not on the child-labour list"):
        evaluate(ILO, "child-labour", {"VR08": "yes"})


# Items that make each dimension positive, for adults and children alike.
POSITIVE = {
    "DR": ["DR01", "DR02"],
    "CR": ["CR01", "CR02"],
    "VR": ["VR01", "VR02", "VR03"],
    "EX": ["EX01", "EX02"],
    "CD": ["CD01", "CD02"],
    "VD": ["VD01", "VD02", "VD03"],
}
COMBINATIONS = [set(c) for n in range(7) for c in itertools.combinations(DIMENSIONS, n)]


def expected(population, positive):
    means = bool(positive & {"DR", "CR", "VR"})
    coercion = bool(positive & {"CD", "VD"}) or population == "child-labour"
    if means and "EX" in positive and coercion:
        return "trafficking"
    return "exploitation-without-means" if "EX" in positive else "indicators-absent"


@pytest.mark.parametrize("population", ["adult-labour", "child-labour"])
@pytest.mark.parametrize("positive", COMBINATIONS, ids=lambda c: "+".join(sorted(c)) or "none")
def test_combination_rule_when_everything_else_is_no(population, positive):
    items = [item for dim in sorted(positive) for item in POSITIVE[dim]]
    result = evaluate(ILO, population, all_no(ILO, population, **yes(*items)))
    assert {d["id"] for d in result.to_dict()["dimensions"] if d["status"] == "positive"} == positive
    assert result.determination == expected(population, positive)
    assert result.to_dict()["unanswered"]["count"] == 0


@pytest.mark.parametrize("population", ["adult-labour", "child-labour"])
@pytest.mark.parametrize("positive", COMBINATIONS, ids=lambda c: "+".join(sorted(c)) or "none")
def test_combination_rule_when_everything_else_is_unasked(population, positive):
    items = [item for dim in sorted(positive) for item in POSITIVE[dim]]
    result = evaluate(ILO, population, yes(*items))
    found = expected(population, positive)
    assert result.determination == ("trafficking" if found == "trafficking" else "insufficient-information")


def test_all_no_is_indicators_absent():
    result = evaluate(ILO, "adult-labour", all_no(ILO, "adult-labour"))
    assert result.determination == "indicators-absent"
    assert result.to_dict()["unanswered"] == {
        "count": 0,
        "items": [],
        "unknown": [],
        "declined": [],
        "unasked": [],
    }


def test_nothing_answered_is_insufficient_information():
    data = evaluate(ILO, "adult-labour", {}).to_dict()
    assert data["determination"] == "insufficient-information"
    assert data["unanswered"]["count"] == 67
    assert data["unanswered"]["unasked"] == item_ids(ILO, "adult-labour")


def test_unknown_items_that_cannot_change_the_outcome_leave_it_absent():
    answers = all_no(ILO, "adult-labour", EX01="unknown", CD04="declined")
    data = evaluate(ILO, "adult-labour", answers).to_dict()
    assert data["determination"] == "indicators-absent"
    assert data["unanswered"]["count"] == 2
    assert data["unanswered"]["unknown"] == ["EX01"] and data["unanswered"]["declined"] == ["CD04"]


def test_means_ruled_out_makes_exploitation_final():
    recruitment_no = {i: "no" for i in item_ids(ILO, "adult-labour") if i[:2] in {"DR", "CR", "VR"}}
    result = evaluate(ILO, "adult-labour", {**recruitment_no, **yes("EX01", "EX04")})
    assert result.determination == "exploitation-without-means"
    assert result.state("exploitation") == "found" and result.state("trafficking") == "absent"
    # EX open, but trafficking impossible: still not "insufficient".
    result = evaluate(ILO, "adult-labour", recruitment_no)
    assert result.determination == "indicators-absent"
    assert dimension(result, "EX")["open"] is True


def test_unanswered_means_make_exploitation_insufficient_information():
    answers = all_no(ILO, "adult-labour", **yes("EX01", "EX04", "CD01", "CD02"))
    for item in ("CR01", "CR02"):
        answers[item] = "declined"
    result = evaluate(ILO, "adult-labour", answers)
    assert result.determination == "insufficient-information"
    assert result.state("trafficking") == "possible" and result.state("exploitation") == "found"
    assert dimension(result, "CR")["open"] is True
    codes = [step.code for step in result.next_steps]
    assert "complete-assessment" in codes and "labour-rights-referral" in codes


def test_only_yes_counts():
    for value in ("no", "unknown", "declined"):
        answers = dict.fromkeys(POSITIVE["EX"] + POSITIVE["DR"] + POSITIVE["CD"], value)
        result = evaluate(ILO, "adult-labour", answers)
        assert not any(result.found[d] for d in DIMENSIONS)


# --- an independent reading of the rules, checked against the engine on random answers ---------


def oracle(population, answers):
    strengths = {item.id: item.strengths[population] for item in ILO.plan(population).items}

    def positive(dim, counted):
        s, m, w = (sum(1 for i, v in counted.items() if i[:2] == dim and v and strengths[i] == k) for k in "SMW")
        return s >= 2 or (s >= 1 and m + w >= 1) or m >= 3 or (m >= 2 and w >= 1)

    def rule(counted):
        dims = {d for d in DIMENSIONS if positive(d, counted)}
        ok = bool(dims & {"DR", "CR", "VR"}) and "EX" in dims
        return (ok and bool(dims & {"CD", "VD"})) if population == "adult-labour" else ok, "EX" in dims

    found = {i: answers.get(i) == "yes" for i in strengths}
    possible = {i: answers.get(i) != "no" for i in strengths}
    trafficking, exploitation = rule(found)
    if trafficking:
        return "trafficking"
    if rule(possible)[0]:
        return "insufficient-information"
    return "exploitation-without-means" if exploitation else "indicators-absent"


@st.composite
def ilo_answers(draw):
    population = draw(st.sampled_from(["adult-labour", "child-labour"]))
    ids = item_ids(ILO, population)
    # Mostly "no" so that every determination shows up.
    values = draw(
        st.lists(
            st.sampled_from(["yes", "no", "no", "no", "unknown", "declined", None]),
            min_size=len(ids),
            max_size=len(ids),
        )
    )
    answers = {i: v for i, v in zip(ids, values, strict=True) if v is not None}
    # Rule whole dimensions out now and then, so that every determination shows up.
    for dim in draw(st.sets(st.sampled_from(DIMENSIONS))):
        answers.update({i: "no" for i in ids if i.startswith(dim)})
    return population, answers


@settings(max_examples=400, deadline=None)
@given(ilo_answers())
def test_engine_agrees_with_an_independent_reading_of_the_rules(case):
    population, answers = case
    assert evaluate(ILO, population, answers).determination == oracle(population, answers)


def test_a_declined_strong_indicator_is_named_with_what_is_already_established():
    # screening.md section 1: "exploitation established; trafficking not ruled out: 1 declined strong
    # indicator, DR01, could complete it", with its referral (labour rights).
    answers = all_no(ILO, "adult-labour", **yes("DR02", "EX01", "EX02", "CD01", "CD02"), DR01="declined")
    result = evaluate(ILO, "adult-labour", answers)
    assert result.determination == "insufficient-information"
    reasons = result.to_dict()["reasons"]
    assert any(r.startswith("Already established: Exploitative conditions of work") for r in reasons)
    assert (
        "Trafficking for labour exploitation: not ruled out. Each of these open items could complete it: "
        "DR01 (declined, S)." in reasons
    )
    assert not any("too many" in r for r in reasons)
    assert "labour-rights-referral" in [s.code for s in result.next_steps]
