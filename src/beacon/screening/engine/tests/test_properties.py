"""Properties that hold for every instrument and population, shipped or added.

Order of determinations: each instrument gives ranks; a further "yes" keeps the determination or
moves it to a higher rank, and taking a "yes" away keeps it or moves it lower. Determinations of
equal rank (sex and labour trafficking) are side by side, so a change between them is a failure.
"""

from __future__ import annotations

import json
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from beacon.screening.engine import evaluate, immigration_prescreen, load_instrument

from .support import FIXTURES, FLAGS, ILO, LEGAL, not_lower

TOY = load_instrument(FIXTURES / "toy-short-screen.yaml")
CASES = [(instrument, population) for instrument in (ILO, LEGAL, FLAGS, TOY) for population in instrument.populations]
UNANSWERED = ("unknown", "declined", None)


@st.composite
def screenings(draw):
    instrument, population = draw(st.sampled_from(CASES))
    plan = instrument.plan(population)
    implied = set(plan.population.implies_yes)
    answers: dict[str, str] = {}
    for item in plan.items:
        choices = ["yes", "unknown", "declined", None] if item.id in implied else ["yes", "no", *UNANSWERED]
        value = draw(st.sampled_from(choices))
        if value is not None:
            answers[item.id] = value
    return instrument, population, answers


def changed(answers, item, value):
    new = dict(answers)
    new.pop(item, None)
    if value is not None:
        new[item] = value
    return new


@settings(max_examples=600, deadline=None)
@given(screenings(), st.data())
def test_adding_a_yes_never_lowers_the_result(screening, data):
    instrument, population, answers = screening
    candidates = [i.id for i in instrument.plan(population).items if answers.get(i.id) != "yes"]
    if not candidates:
        return
    item = data.draw(st.sampled_from(candidates))
    before = evaluate(instrument, population, answers).determination
    after = evaluate(instrument, population, changed(answers, item, "yes")).determination
    assert not_lower(instrument, after, before), (item, answers.get(item), before, after)


@settings(max_examples=600, deadline=None)
@given(screenings(), st.data())
def test_removing_a_yes_never_raises_the_result(screening, data):
    instrument, population, answers = screening
    implied = set(instrument.plan(population).population.implies_yes)
    candidates = [i for i, v in answers.items() if v == "yes" and i not in implied]
    if not candidates:
        return
    item = data.draw(st.sampled_from(candidates))
    replacement = data.draw(st.sampled_from(["no", *UNANSWERED]))
    before = evaluate(instrument, population, answers).determination
    after = evaluate(instrument, population, changed(answers, item, replacement)).determination
    assert not_lower(instrument, before, after), (item, replacement, before, after)


@settings(max_examples=300, deadline=None)
@given(screenings(), st.data())
def test_a_no_never_raises_the_result_over_leaving_the_item_unanswered(screening, data):
    instrument, population, answers = screening
    implied = set(instrument.plan(population).population.implies_yes)
    candidates = [i.id for i in instrument.plan(population).items if answers.get(i.id) != "yes" and i.id not in implied]
    if not candidates:
        return
    item = data.draw(st.sampled_from(candidates))
    unanswered = evaluate(instrument, population, changed(answers, item, data.draw(st.sampled_from(UNANSWERED))))
    answered_no = evaluate(instrument, population, changed(answers, item, "no"))
    assert not_lower(instrument, unanswered.determination, answered_no.determination)


@settings(max_examples=300, deadline=None)
@given(screenings(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_the_order_of_the_answers(screening, rnd: random.Random):
    instrument, population, answers = screening
    items = list(answers.items())
    rnd.shuffle(items)
    first = evaluate(instrument, population, answers).to_dict()
    second = evaluate(instrument, population, dict(items)).to_dict()
    assert json.dumps(first) == json.dumps(second)


@settings(max_examples=300, deadline=None)
@given(screenings())
def test_result_shape(screening):
    instrument, population, answers = screening
    result = evaluate(instrument, population, answers)
    data = json.loads(json.dumps(result.to_dict()))
    assert {
        "instrument",
        "population",
        "determination",
        "unanswered",
        "reasons",
        "next_steps",
        "unconfirmed",
    } <= set(data)
    assert data["instrument"] == {"id": instrument.id, "version": instrument.version}
    assert data["determination"] in {d.id for d in instrument.determinations}
    unanswered = data["unanswered"]
    assert unanswered["count"] == len(unanswered["items"])
    assert sorted(unanswered["items"]) == sorted(unanswered["unknown"] + unanswered["declined"] + unanswered["unasked"])
    assert all(isinstance(reason, str) and reason for reason in data["reasons"])
    assert data["next_steps"][-1]["code"] == "national-hotline"
    # Deterministic.
    assert evaluate(instrument, population, answers).to_dict() == result.to_dict()


SEVERE_FORM_RANK = {None: None, "not-met": 0, "unknown": 1, "met": 2}
RELIEF_RANK = {"not-indicated": 0, "needs-more-information": 1, "needs-federal-sponsor": 1, "possible": 2}


@settings(max_examples=400, deadline=None)
@given(screenings(), st.data())
def test_adding_a_yes_never_lowers_the_severe_form_or_the_relief_prescreen(screening, data):
    instrument, population, answers = screening
    candidates = [i.id for i in instrument.plan(population).items if answers.get(i.id) != "yes"]
    if not candidates:
        return
    item = data.draw(st.sampled_from(candidates))
    before = evaluate(instrument, population, answers)
    after = evaluate(instrument, population, changed(answers, item, "yes"))
    if instrument.decides_severe_form:
        assert SEVERE_FORM_RANK[after.severe_form] >= SEVERE_FORM_RANK[before.severe_form]
    else:  # only the US federal standard decides a severe form
        assert before.severe_form is after.severe_form is None
    for relief in ("t_visa", "continued_presence", "u_visa"):
        was = immigration_prescreen(before).to_dict()[relief]["status"]
        now = immigration_prescreen(after).to_dict()[relief]["status"]
        assert RELIEF_RANK[now] >= RELIEF_RANK[was], (relief, item, was, now)


@settings(max_examples=400, deadline=None)
@given(screenings())
def test_the_items_named_as_completing_a_finding_are_exactly_those_that_do(screening):
    """The result names the open items that could complete a pending finding; it tries only those the
    finding depends on, so check that against trying every open item."""
    instrument, population, answers = screening
    result = evaluate(instrument, population, answers)
    given_answers = result.answers()
    for finding in instrument.findings:
        if finding.id not in result.plan.rules or result.found[finding.id] or not result.possible[finding.id]:
            continue
        every = [
            item
            for item in result.unanswered
            if evaluate(instrument, population, {**given_answers, item: "yes"}).found[finding.id]
        ]
        assert result._completing_items(finding.id) == every, (finding.id, answers)
