"""`beacon screen`: JSON out and exit 0, or one line on stderr and exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from beacon.screening.engine.cli import main

from .support import FIXTURES, ILO, LEGAL, SRC, all_no, yes

KEYS = {"instrument", "population", "determination", "unanswered", "reasons", "next_steps", "unconfirmed"}


def write(tmp_path, answers, name="answers.json"):
    path = tmp_path / name
    path.write_text(json.dumps(answers), encoding="utf-8")
    return str(path)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


CASES = [
    (
        "ilo-2009",
        "adult-labour",
        all_no(ILO, "adult-labour", **yes("DR01", "DR02", "EX01", "EX02", "CD01", "CD02")),
    ),
    ("ilo-2009", "child-labour", {"EX01": "yes"}),
    (
        "us-legal-elements",
        "adult-sexual",
        all_no(LEGAL, "adult-sexual", **yes("ACT_RECRUIT", "MEANS_FORCE", "PURPOSE_COMMERCIAL_SEX")),
    ),
    ("community-red-flags", "adult-labour", {"PHYSICAL_ABUSE": "yes", "DEBT": "unknown"}),
]
EXPECTED = ["trafficking", "insufficient-information", "sex-trafficking", "elevated"]


@pytest.mark.parametrize(("case", "determination"), list(zip(CASES, EXPECTED, strict=True)), ids=EXPECTED)
def test_prints_the_result(tmp_path, capsys, case, determination):
    instrument, population, answers = case
    code, out, err = run(
        capsys, "--instrument", instrument, "--population", population, "--answers", write(tmp_path, answers)
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) >= KEYS
    assert data["instrument"]["id"] == instrument
    assert data["determination"] == determination
    assert ("dimensions" in data) == (instrument == "ilo-2009")
    assert ("elements" in data) == ("statutes" in data) == (instrument == "us-legal-elements")
    assert ("score" in data) == (instrument == "community-red-flags")
    assert out.startswith('{\n  "instrument"')  # indent 2


def test_context_flags(tmp_path, capsys):
    code, out, _ = run(
        capsys,
        "screen",
        "--instrument",
        "ilo-2009",
        "--population",
        "adult-labour",
        "--answers",
        write(tmp_path, {"EX01": "yes"}),
        "--immediate-danger",
        "--minor",
        "--foreign-national",
    )
    codes = [step["code"] for step in json.loads(out)["next_steps"]]
    assert code == 0
    assert codes[0] == "call-911"
    assert {"dcfs-hotline", "mandated-reporting", "immigration-legal-referral", "youth-services"} <= set(codes)


def test_language(tmp_path, capsys):
    _, out, _ = run(
        capsys,
        "--instrument",
        "ilo-2009",
        "--population",
        "adult-labour",
        "--answers",
        write(tmp_path, {}),
        "--language",
        "es",
    )
    assert json.loads(out)["determination_label"] == "Información insuficiente"


@pytest.mark.parametrize(
    ("argv", "answers", "needle"),
    [
        (["--instrument", "nope", "--population", "adult-labour"], {}, "unknown instrument 'nope'"),
        (
            ["--instrument", "ilo-2009", "--population", "adult-sexual"],
            {},
            "population 'adult-sexual' is not supported",
        ),
        (["--instrument", "ilo-2009", "--population", "kids"], {}, "population 'kids' is not supported"),
        (["--instrument", "ilo-2009", "--population", "adult-labour"], {"XX99": "yes"}, "unknown item IDs"),
        (
            ["--instrument", "ilo-2009", "--population", "adult-labour"],
            {"DR01": "maybe"},
            "invalid answers 'DR01': 'maybe'",
        ),
        (
            ["--instrument", "ilo-2009", "--population", "adult-labour"],
            {"DR01": True},
            "invalid answers 'DR01': True",
        ),
        (["--instrument", "ilo-2009", "--population", "adult-labour"], ["DR01"], "must hold a JSON object"),
        (["--population", "adult-labour"], {}, "give --instrument (an installed instrument ID) or --instrument-file"),
    ],
    ids=[
        "instrument",
        "unsupported-population",
        "bad-population",
        "item",
        "value",
        "boolean",
        "not-an-object",
        "missing-argument",
    ],
)
def test_exit_2_with_one_line(tmp_path, capsys, argv, answers, needle):
    code, out, err = run(capsys, *argv, "--answers", write(tmp_path, answers))
    assert code == 2 and out == ""
    assert err.startswith("beacon screen: error: ") and err.endswith("\n") and err.count("\n") == 1
    assert needle in err


def test_exit_2_for_unreadable_or_malformed_files(tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    for path, needle in ((tmp_path / "missing.json", "cannot read"), (broken, "is not valid JSON")):
        code, _, err = run(capsys, "--instrument", "ilo-2009", "--population", "adult-labour", "--answers", str(path))
        assert code == 2 and needle in err and err.count("\n") == 1


def test_help_exits_0(capsys):
    assert main(["--help"]) == 0
    assert "--instrument" in capsys.readouterr().out


def subprocess_env(**extra):
    env = {**os.environ, **extra}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return env


def test_runs_as_a_module(tmp_path):
    answers = write(tmp_path, {"ACT_RECRUIT": "yes", "PURPOSE_COMMERCIAL_SEX": "yes"})
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "beacon.screening.engine.cli",
            "--instrument",
            "us-legal-elements",
            "--population",
            "child-sexual",
            "--answers",
            answers,
        ],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["determination"] == "sex-trafficking"
    assert "dcfs-hotline" in [step["code"] for step in data["next_steps"]]


def test_module_exit_2(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "beacon.screening.engine.cli",
            "--instrument",
            "ilo-2009",
            "--population",
            "adult-labour",
            "--answers",
            write(tmp_path, {"DR01": "perhaps"}),
        ],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "perhaps" in done.stderr


def test_module_loads_an_organisation_instrument_from_the_environment(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "beacon.screening.engine.cli",
            "--instrument",
            "toy-short-screen",
            "--population",
            "adult-sexual",
            "--answers",
            write(tmp_path, {"T01": "yes", "T06": "yes"}),
        ],
        capture_output=True,
        text=True,
        env=subprocess_env(BEACON_INSTRUMENT_DIRS=str(FIXTURES)),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["determination"] == "positive-screen"


def test_minor_feeds_the_evaluation(tmp_path, capsys):
    answers = write(tmp_path, {"ACT_RECRUIT": "yes", "PURPOSE_COMMERCIAL_SEX": "yes"})
    common = ("--instrument", "us-legal-elements", "--population", "adult-sexual", "--answers", answers)
    code, out, err = run(capsys, *common)
    assert code == 0 and json.loads(out)["determination"] == "insufficient-information"
    code, out, err = run(capsys, *common, "--minor")
    data = json.loads(out)
    assert code == 0 and err == ""
    assert data["determination"] == "sex-trafficking"
    assert data["next_steps"][0]["code"] == "dcfs-hotline"


def test_a_youth_instrument_loaded_as_a_file(tmp_path, capsys):
    file = str(FIXTURES / "toy-youth-screen.yaml")
    answers = write(tmp_path, {"Y01": "yes"})
    code, out, err = run(capsys, "--instrument-file", file, "--population", "child-sexual", "--answers", answers)
    data = json.loads(out)
    assert code == 0 and err == ""
    assert data["instrument"]["id"] == "toy-youth-screen"
    assert data["determination"] == "insufficient-information"
    steps = [step["code"] for step in data["next_steps"]]
    assert steps[:2] == ["dcfs-hotline", "mandated-reporting"] and "youth-services" in steps


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--instrument", "ilo-2009"), "does not match the file's instrument ID"),
        ((), ""),
    ],
)
def test_instrument_file_errors_are_one_line(tmp_path, capsys, extra, message):
    answers = write(tmp_path, {"Y01": "yes"})
    file = str(FIXTURES / "toy-youth-screen.yaml") if message else str(tmp_path / "missing.yaml")
    code, out, err = run(
        capsys, "--instrument-file", file, *extra, "--population", "child-sexual", "--answers", answers
    )
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert message in err


def test_instrument_or_instrument_file_is_needed(tmp_path, capsys):
    code, _out, err = run(capsys, "--population", "child-sexual", "--answers", write(tmp_path, {}))
    assert code == 2 and "--instrument-file" in err and len(err.strip().splitlines()) == 1
