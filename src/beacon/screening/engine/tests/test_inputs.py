"""Input the engine cannot use is refused with a message that names the problem."""

from __future__ import annotations

import pytest

from beacon.screening.engine import ScreeningInputError, evaluate

from .support import ILO


@pytest.mark.parametrize(
    ("answers", "needle"),
    [
        (
            {"DR01": "yes", "ZZ01": "yes", "dr02": "no"},
            "unknown item IDs for instrument 'ilo-2009', population 'adult-labour': 'ZZ01', 'dr02'",
        ),
        ({"DR01": "Yes"}, "invalid answers 'DR01': 'Yes' (allowed: yes, no, unknown, declined)"),
        ({"DR01": ["yes"]}, "invalid answers 'DR01': ['yes']"),
        ({"DR01": None}, "invalid answers 'DR01': None"),
        ({"ZZ01": "maybe", "DR01": "perhaps"}, "'ZZ01'"),
    ],
)
def test_bad_answers(answers, needle):
    with pytest.raises(ScreeningInputError) as caught:
        evaluate(ILO, "adult-labour", answers)
    assert needle in str(caught.value)


def test_both_kinds_of_problem_are_named_at_once():
    with pytest.raises(ScreeningInputError, match=r"'ZZ01'.*invalid answers 'DR01': 'perhaps'"):
        evaluate(ILO, "adult-labour", {"ZZ01": "yes", "DR01": "perhaps"})


def test_answers_must_be_a_mapping():
    with pytest.raises(ScreeningInputError, match="mapping"):
        evaluate(ILO, "adult-labour", [("DR01", "yes")])  # type: ignore[arg-type]


def test_unsupported_population():
    with pytest.raises(ScreeningInputError, match=r"'adult-sexual' is not supported .*adult-labour, child-labour"):
        evaluate(ILO, "adult-sexual", {})
