"""US legal elements: Act + Means + Purpose, Act + Purpose for a minor, definitions and statutes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beacon.screening.engine import ScreeningContext, ScreeningInputError, evaluate

from .support import LEGAL, all_no, item_ids, yes

ACTS = [
    "ACT_RECRUIT",
    "ACT_HARBOR",
    "ACT_TRANSPORT",
    "ACT_PROVIDE",
    "ACT_OBTAIN",
    "ACT_PATRONIZE",
    "ACT_SOLICIT",
]
MEANS = [
    "MEANS_FORCE",
    "MEANS_FRAUD",
    "MEANS_COERCION_THREAT",
    "MEANS_COERCION_SCHEME",
    "MEANS_COERCION_LEGAL",
]
LABOUR_PURPOSES = [
    "PURPOSE_INVOLUNTARY_SERVITUDE",
    "PURPOSE_PEONAGE",
    "PURPOSE_DEBT_BONDAGE",
    "PURPOSE_SLAVERY",
]

# (case, population, items answered yes with everything else no, determination, definitions)
CASES = [
    (
        "adult sex by force",
        "adult-sexual",
        ["ACT_RECRUIT", "MEANS_FORCE", "PURPOSE_COMMERCIAL_SEX"],
        "sex-trafficking",
        ["22 U.S.C. 7102(11)(A)"],
    ),
    ("adult sex, no means", "adult-sexual", ["ACT_RECRUIT", "PURPOSE_COMMERCIAL_SEX"], "not-consistent", []),
    ("adult sex, no act", "adult-sexual", ["MEANS_FRAUD", "PURPOSE_COMMERCIAL_SEX"], "not-consistent", []),
    (
        "minor, no means",
        "adult-sexual",
        ["ACT_PATRONIZE", "PURPOSE_COMMERCIAL_SEX", "AGE_UNDER_18"],
        "sex-trafficking",
        ["22 U.S.C. 7102(11)(A)"],
    ),
    (
        "child population implies under 18",
        "child-sexual",
        ["ACT_SOLICIT", "PURPOSE_COMMERCIAL_SEX"],
        "sex-trafficking",
        ["22 U.S.C. 7102(11)(A)"],
    ),
    (
        "labour by coercion (legal process)",
        "adult-labour",
        ["ACT_TRANSPORT", "MEANS_COERCION_LEGAL", "PURPOSE_PEONAGE"],
        "labour-trafficking",
        ["22 U.S.C. 7102(11)(B)"],
    ),
    (
        "labour by fraud, debt bondage",
        "adult-labour",
        ["ACT_RECRUIT", "MEANS_FRAUD", "PURPOSE_DEBT_BONDAGE"],
        "labour-trafficking",
        ["22 U.S.C. 7102(11)(B)"],
    ),
    (
        "labour, minor still needs means",
        "child-labour",
        ["ACT_OBTAIN", "PURPOSE_SLAVERY"],
        "not-consistent",
        [],
    ),
    (
        "patronizing is not a labour act",
        "adult-labour",
        ["ACT_PATRONIZE", "MEANS_FORCE", "PURPOSE_SLAVERY"],
        "not-consistent",
        [],
    ),
    (
        "both",
        "adult-sexual",
        ["ACT_HARBOR", "MEANS_COERCION_THREAT", "PURPOSE_COMMERCIAL_SEX", "PURPOSE_INVOLUNTARY_SERVITUDE"],
        "sex-and-labour-trafficking",
        ["22 U.S.C. 7102(11)(A)", "22 U.S.C. 7102(11)(B)"],
    ),
    (
        "coercion by a scheme",
        "adult-labour",
        ["ACT_HARBOR", "MEANS_COERCION_SCHEME", "PURPOSE_INVOLUNTARY_SERVITUDE"],
        "labour-trafficking",
        ["22 U.S.C. 7102(11)(B)"],
    ),
    ("nothing", "adult-labour", [], "not-consistent", []),
]


@pytest.mark.parametrize(
    ("case", "population", "items", "determination", "definitions"), CASES, ids=[c[0] for c in CASES]
)
def test_legal_elements_table(case, population, items, determination, definitions):
    data = evaluate(LEGAL, population, all_no(LEGAL, population, **yes(*items))).to_dict()
    assert data["determination"] == determination
    assert [d["citation"] for d in data["definitions"]] == definitions
    assert {
        "act",
        "act_labour",
        "means",
        "means_illinois",
        "purpose_sex",
        "purpose_labour",
        "illinois_minor_sexual",
        "exploitation",
        "minor",
    } == {e["id"] for e in data["elements"]}
    for element in data["elements"]:
        assert element["status"] in {"met", "not-met"}  # everything answered
        assert all(e["id"] in items or e["id"] == "AGE_UNDER_18" for e in element["evidence"])


def test_statutes_for_sex_trafficking_of_a_minor():
    answers = all_no(LEGAL, "child-sexual", **yes("ACT_RECRUIT", "PURPOSE_COMMERCIAL_SEX"))
    data = evaluate(LEGAL, "child-sexual", answers).to_dict()
    titles = {(s["citation"], s["title"]) for s in data["statutes"]}
    assert ("18 U.S.C. 1591", "Sex trafficking of children or by force, fraud or coercion") in titles
    assert ("720 ILCS 5/10-9", "Involuntary sexual servitude of a minor") in titles
    assert not any(s["citation"] in {"18 U.S.C. 1589", "18 U.S.C. 1590"} for s in data["statutes"])
    assert all("May be implicated" in s["note"] for s in data["statutes"])
    assert {u["id"] for u in data["unconfirmed"]} >= {"ilcs-720-5-10-9-sexual-servitude-of-a-minor"}
    assert data["implied_yes"] == ["AGE_UNDER_18"]
    assert any("need not be shown" in reason for reason in data["reasons"])


def test_statutes_for_labour_trafficking():
    answers = all_no(LEGAL, "adult-labour", **yes("ACT_RECRUIT", "MEANS_FORCE", "PURPOSE_SLAVERY"))
    cited = {s["citation"] for s in evaluate(LEGAL, "adult-labour", answers).to_dict()["statutes"]}
    assert cited == {"18 U.S.C. 1589", "18 U.S.C. 1590", "720 ILCS 5/10-9", "740 ILCS 128"}


def test_no_statute_or_definition_without_a_finding():
    data = evaluate(LEGAL, "adult-labour", {}).to_dict()
    assert data["determination"] == "insufficient-information"
    assert data["definitions"] == [] and data["statutes"] == []
    assert all(e["status"] == "unknown" for e in data["elements"])


def test_missing_means_is_insufficient_information_not_a_no():
    answers = all_no(LEGAL, "adult-sexual", **yes("ACT_RECRUIT", "PURPOSE_COMMERCIAL_SEX"))
    answers["MEANS_FRAUD"] = "unknown"
    result = evaluate(LEGAL, "adult-sexual", answers)
    assert result.determination == "insufficient-information"
    assert next(e for e in result.to_dict()["elements"] if e["id"] == "means")["unanswered"] == ["MEANS_FRAUD"]


def test_child_population_refuses_a_no_to_under_18():
    with pytest.raises(ScreeningInputError, match="AGE_UNDER_18"):
        evaluate(LEGAL, "child-sexual", {"AGE_UNDER_18": "no"})


@st.composite
def minor_with_commercial_sex(draw):
    population = draw(st.sampled_from(["adult-sexual", "child-sexual", "adult-labour", "child-labour"]))
    others = [i for i in item_ids(LEGAL, population) if i not in {"AGE_UNDER_18", "PURPOSE_COMMERCIAL_SEX"}]
    values = draw(
        st.lists(
            st.sampled_from(["yes", "no", "unknown", "declined", None]),
            min_size=len(others),
            max_size=len(others),
        )
    )
    answers = {i: v for i, v in zip(others, values, strict=True) if v is not None}
    answers[draw(st.sampled_from(ACTS))] = "yes"
    answers["PURPOSE_COMMERCIAL_SEX"] = "yes"
    if population.startswith("adult") or draw(st.booleans()):
        answers["AGE_UNDER_18"] = "yes"
    return population, answers


@settings(max_examples=300, deadline=None)
@given(
    minor_with_commercial_sex(),
    st.lists(st.sampled_from(["yes", "no", "unknown", "declined", None]), min_size=len(MEANS), max_size=len(MEANS)),
)
def test_a_minor_with_a_commercial_sex_act_is_sex_trafficking_whatever_the_means(case, means):
    population, answers = case
    for item, value in zip(MEANS, means, strict=True):
        answers.pop(item, None)
        if value is not None:
            answers[item] = value
    data = evaluate(LEGAL, population, answers).to_dict()
    assert data["determination"] in {"sex-trafficking", "sex-and-labour-trafficking"}
    assert data["findings"]["sex_trafficking"] == "found"
    assert "22 U.S.C. 7102(11)(A)" in [d["citation"] for d in data["definitions"]]
    assert "18 U.S.C. 1591" in [s["citation"] for s in data["statutes"]]


# --- issue 14, group B -------------------------------------------------------------------------


def test_the_interviewers_under_18_feeds_the_age_element():
    # A screener who asserted the person is under 18 (--minor) is not told the age element is unknown.
    answers = {"ACT_RECRUIT": "yes", "PURPOSE_COMMERCIAL_SEX": "yes"}
    without = evaluate(LEGAL, "adult-sexual", answers)
    assert without.determination == "insufficient-information"
    stated = evaluate(LEGAL, "adult-sexual", answers, ScreeningContext(minor=True))
    assert stated.determination == "sex-trafficking"
    element = next(e for e in stated.to_dict()["elements"] if e["id"] == "minor")
    assert element["status"] == "met"
    assert any("interviewer says the person is under 18: AGE_UNDER_18" in r for r in stated.to_dict()["reasons"])
    # An explicit "no" stays and the contradiction is pointed out.
    contradicted = evaluate(LEGAL, "adult-sexual", {**answers, "AGE_UNDER_18": "no"}, ScreeningContext(minor=True))
    assert contradicted.determination != "sex-trafficking"
    assert any("check the age" in r for r in contradicted.to_dict()["reasons"])


def test_open_items_are_named_instead_of_too_many_unanswered():
    answers = all_no(LEGAL, "adult-labour", **yes("ACT_RECRUIT", "PURPOSE_PEONAGE"), MEANS_FORCE="declined")
    data = evaluate(LEGAL, "adult-labour", answers).to_dict()
    assert data["determination"] == "insufficient-information"
    reasons = " ".join(data["reasons"])
    assert "Labour trafficking: not ruled out. Each of these open items could complete it: MEANS_FORCE (declined)" in (
        reasons
    )
    assert "too many" not in reasons


def test_1589_only_with_a_means_other_than_fraud():
    fraud_only = all_no(LEGAL, "adult-labour", **yes("ACT_RECRUIT", "MEANS_FRAUD", "PURPOSE_INVOLUNTARY_SERVITUDE"))
    result = evaluate(LEGAL, "adult-labour", fraud_only)
    assert result.determination == "labour-trafficking"  # fraud counts for 7102(11)(B)
    assert "18 U.S.C. 1589" not in [s.citation for s in result.statutes]
    forced = evaluate(LEGAL, "adult-labour", {**fraud_only, "MEANS_COERCION_LEGAL": "yes"})
    assert "18 U.S.C. 1589" in [s.citation for s in forced.statutes]


def test_fraud_in_recruiting_from_abroad_shows_1351():
    answers = all_no(LEGAL, "adult-labour", FRAUD_FOREIGN_RECRUITMENT="yes")
    result = evaluate(LEGAL, "adult-labour", answers)
    assert [s.citation for s in result.statutes] == ["18 U.S.C. 1351"]
    assert result.found["means"]
    assert "FRAUD_FOREIGN_RECRUITMENT" not in LEGAL.plan("adult-sexual").item_ids


@pytest.mark.parametrize("limb", ["PURPOSE_DEBT_BONDAGE", "PURPOSE_DEBT_BONDAGE_UNDEFINED"])
def test_debt_bondage_asks_both_limbs_of_7102_7(limb):
    questions = {i.id: i.question["en"] for i in LEGAL.items}
    assert "value of the work" in questions["PURPOSE_DEBT_BONDAGE"]
    assert "length and the nature" in questions["PURPOSE_DEBT_BONDAGE_UNDEFINED"]
    answers = all_no(LEGAL, "adult-labour", **yes("ACT_OBTAIN", "MEANS_COERCION_THREAT", limb))
    assert evaluate(LEGAL, "adult-labour", answers).determination == "labour-trafficking"
