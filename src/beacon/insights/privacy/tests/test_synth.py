from __future__ import annotations

import random

import pytest

from beacon.insights.formats.ctdc import AGE_BINS, CTDC_VARIABLES, CaseFacts, ctdc_row
from beacon.insights.privacy.synth import MarginalError, marginal_errors, synthesize


def case_facts(rng: random.Random) -> CaseFacts:
    labour = rng.random() < 0.5
    return {
        "registration_year": rng.choice([2021, 2022, 2023, 2024]),
        "gender": rng.choice(["Feminine", "Masculine", "NonConforming", "NonSpecifiedUnknown"]),
        "age": rng.choice([None, rng.randint(5, 70)]),
        "citizenship": rng.choice(["MX", "US", "GT", "IND", "PH"]),
        "country_of_exploitation": "USA",
        "months_trafficked": rng.choice([None, rng.randint(0, 60)]),
        "methods_of_control": rng.sample(["DebtBondage", "PhysicalThreats", "FalsePromises", "Other"], 2),
        "types_of_exploitation": ["ForcedLabour"] if labour else ["SexualExploitation"],
        "forced_labour_industry": rng.choice(["A", "F", "I", "T"]) if labour else None,
        "types_of_sex_exploitation": [] if labour else [rng.choice(["Prostitution", "Pornography"])],
        "recruiter_relations": [rng.choice(["Friend", "Family", "IntimatePartner", "Other"])],
    }


@pytest.fixture(scope="module")
def sensitive() -> list[dict[str, str]]:
    rng = random.Random(7)  # seeds only the made-up input, not the synthesizer's noise
    return [ctdc_row(case_facts(rng)) for _ in range(400)]


@pytest.fixture(scope="module")
def result(sensitive):
    return synthesize(sensitive)


def test_synthetic_rows_are_in_the_ctdc_layout(result, sensitive):
    assert result.columns == CTDC_VARIABLES
    assert result.rows
    seen = {c: {row[c] for row in sensitive} for c in CTDC_VARIABLES}
    for row in result.rows:
        assert list(row) == list(CTDC_VARIABLES)
        for column, value in row.items():
            assert value in seen[column] | {""}, (column, value)
    ages = {row["ageBroad"] for row in result.rows}
    assert ages <= {label for _, label in AGE_BINS} | {""}


def test_defaults_are_reporting_length_3_and_epsilon_4(result):
    assert result.parameters["reporting_length"] == 3
    assert result.parameters["epsilon"] == 4.0
    assert result.dp_number_of_records > 0


def test_marginal_error_report(result):
    assert set(result.marginal_errors) == {1, 2, 3}
    for k, error in result.marginal_errors.items():
        assert isinstance(error, MarginalError) and error.length == k
        assert error.combinations > 0
        assert error.mean_absolute_error >= 0 and error.mean_relative_error >= 0
    report = result.report()
    keys = {"method", "parameters", "synthetic_records", "dp_number_of_records", "marginal_errors"}
    assert set(report) == keys
    assert set(report["marginal_errors"]) == {"1", "2", "3"}
    assert set(report["marginal_errors"]["2"]) == {
        "length",
        "combinations",
        "mean_absolute_error",
        "mean_relative_error",
        "fabricated",
        "lost",
    }
    # Single values come from the sensitive data's own domain, so none is made up; the loose bound
    # only catches a broken comparison (observed values are about 0.4 for 400 records).
    assert result.marginal_errors[1].fabricated == 0
    assert result.marginal_errors[1].mean_relative_error < 1.0


def test_marginal_errors_by_hand():
    columns = ["a", "b"]
    real = [["x", "y"], ["x", ""], ["z", "y"]]
    fake = [["x", "y"], ["x", "y"], ["w", ""]]
    errors = marginal_errors(real, fake, columns, reporting_length=2)
    # 1-way (real/synthetic): a:x 2/2, a:z 1/0, a:w 0/1, b:y 2/2; relative over the 3 real ones
    assert errors[1] == MarginalError(1, 4, 0.5, 1 / 3, fabricated=1, lost=1)
    # 2-way: (x,y) 1/2, (z,y) 1/0
    assert errors[2] == MarginalError(2, 2, 1.0, 1.0, fabricated=0, lost=1)
    same = marginal_errors(real, real, columns, reporting_length=2)
    assert all(e.mean_absolute_error == 0 and e.fabricated == e.lost == 0 for e in same.values())


def test_rows_outside_the_layout_are_refused():
    with pytest.raises(ValueError, match="unknown columns"):
        synthesize([{"name": "Ana"}, {"name": "Bo"}])
    with pytest.raises(ValueError):
        synthesize([ctdc_row({})])


def test_a_synthesizer_panic_becomes_a_clear_error(monkeypatch):
    """pac-synth reports noise failures as a Rust panic (a BaseException); callers get a plain error."""
    import pytest

    from beacon.insights.privacy import synth

    class Panic(BaseException):
        pass

    def panicking_fit(self, dataset):
        raise Panic("adding noise to number of records resulted in a negative number")

    monkeypatch.setattr(synth.DpAggregateSeededSynthesizer, "fit", panicking_fit)
    rows = [{"gender": "Woman"}, {"gender": "Man"}, {"gender": "Woman"}]
    with pytest.raises(synth.SynthesisFailed, match="widen the period"):
        synth.synthesize(rows, columns=("gender",))
