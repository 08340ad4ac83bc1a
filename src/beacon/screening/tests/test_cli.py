"""`beacon screen` through the installed console entry point: 0 with JSON, 2 with one line on stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BEACON = Path(sys.executable).parent / "beacon"

pytestmark = pytest.mark.skipif(not BEACON.exists(), reason="the beacon console script is not installed")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BEACON), "screen", *args], capture_output=True, text=True, timeout=60, check=False)


def test_screen_prints_the_result_and_exits_0(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(
        json.dumps({"DR01": "yes", "DR02": "yes", "EX01": "yes", "EX02": "yes", "CD01": "yes", "CD02": "yes"})
    )
    done = _run(
        "--instrument", "ilo-2009", "--population", "adult-labour", "--answers", str(answers), "--foreign-national"
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["determination"] == "trafficking"
    assert any(step["code"] == "immigration-legal-referral" for step in result["next_steps"])


@pytest.mark.parametrize(
    "instrument, answers",
    [
        ("no-such-instrument", {"DR01": "yes"}),
        ("ilo-2009", {"DR01": "perhaps"}),
    ],
)
def test_screen_refuses_bad_input_with_exit_2(tmp_path, instrument, answers):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    done = _run("--instrument", instrument, "--population", "adult-labour", "--answers", str(path))
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
