"""An organisation adds an instrument by dropping a file in a directory: no code changes."""

from __future__ import annotations

import shutil

import pytest

from beacon.screening.engine import (
    InstrumentError,
    ScreeningInputError,
    clear_cache,
    evaluate,
    get_instrument,
    load_instruments,
)

from .support import FIXTURES, INSTRUMENTS_DIR


@pytest.fixture(autouse=True)
def fresh_registry():
    clear_cache()
    yield
    clear_cache()


def test_extra_directory(monkeypatch):
    monkeypatch.delenv("BEACON_INSTRUMENT_DIRS", raising=False)
    assert "toy-short-screen" not in load_instruments()
    toy = get_instrument("toy-short-screen", extra_dirs=[FIXTURES])
    result = evaluate(toy, "adult-labour", {"T01": "yes", "T02": "yes", "T03": "no"})
    assert result.determination == "positive-screen"
    assert result.to_dict()["dimensions"][0]["status"] == "positive"
    assert evaluate(toy, "adult-labour", {"T01": "yes"}).determination == "insufficient-information"
    no = dict.fromkeys(["T02", "T03", "T04", "T05"], "no")
    assert evaluate(toy, "adult-labour", {"T01": "yes", **no}).determination == "negative-screen"


def test_environment_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("BEACON_INSTRUMENT_DIRS", f"{tmp_path}:{FIXTURES}")
    assert {"ilo-2009", "toy-short-screen"} <= set(load_instruments())
    toy = get_instrument("toy-short-screen")
    # The fixture takes a sexual-exploitation population: the format allows it.
    assert evaluate(toy, "adult-sexual", {"T06": "yes", "T05": "yes"}).determination == "positive-screen"


def test_the_same_id_twice_is_refused(monkeypatch, tmp_path):
    monkeypatch.delenv("BEACON_INSTRUMENT_DIRS", raising=False)
    shutil.copy(INSTRUMENTS_DIR / "ilo-2009.yaml", tmp_path / "my-ilo.yaml")
    with pytest.raises(InstrumentError, match=r"my-ilo\.yaml.*'ilo-2009' is already defined in .*ilo-2009\.yaml"):
        load_instruments([tmp_path])


def test_missing_directory_is_refused(tmp_path):
    with pytest.raises(InstrumentError, match="not a directory"):
        load_instruments([tmp_path / "nowhere"])


def test_unknown_instrument():
    with pytest.raises(ScreeningInputError, match=r"unknown instrument 'tvit' \(known: .*ilo-2009"):
        get_instrument("tvit")
