"""A malformed instrument file is refused at load, with the file, the line or key, and the reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from beacon.screening.engine import InstrumentError, load_instrument

from .support import FIXTURES, INSTRUMENTS_DIR

TOY = (FIXTURES / "toy-short-screen.yaml").read_text(encoding="utf-8")
ILO_TEXT = (INSTRUMENTS_DIR / "ilo-2009.yaml").read_text(encoding="utf-8")


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """1-based line of the nth line containing ``fragment``."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if fragment in line]
    return hits[occurrence - 1]


def refuse(tmp_path: Path, text: str) -> InstrumentError:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InstrumentError) as caught:
        load_instrument(path)
    error = caught.value
    assert str(path) in str(error)
    assert error.file == str(path)
    return error


def test_missing_key(tmp_path):
    text = TOY.replace("version: 0.0.1-test\n", "")
    error = refuse(tmp_path, text)
    assert "the required key 'version' is missing" in str(error)
    assert error.key == "version"
    assert error.line == line_of(text, "schema_version: 1")  # the mapping that lacks it
    item = refuse(tmp_path, TOY.replace("  help: {en: Invented for tests.}\n", "", 1))
    assert item.key == "items[0].help"
    assert item.line == line_of(TOY, "- id: T01")


def test_wrong_type(tmp_path):
    text = TOY.replace("rank: 2", "rank: two")
    error = refuse(tmp_path, text)
    assert error.line == line_of(text, "rank: two")
    assert error.key == "rules.determinations[0].rank"
    assert "'two' is not of type 'integer'" in str(error)
    assert re.search(r"broken\.yaml, line \d+, at rules\.determinations\[0\]\.rank: ", str(error))


def test_bad_strength(tmp_path):
    text = ILO_TEXT.replace(
        "strength: {adult-labour: M, child-labour: M}", "strength: {adult-labour: X, child-labour: M}", 1
    )
    error = refuse(tmp_path, text)
    assert error.line == line_of(text, "adult-labour: X")
    assert error.key == "items[1].strength.adult-labour"
    assert "strength 'X' is not declared" in error.reason


def test_malformed_strength_value(tmp_path):
    text = ILO_TEXT.replace("strength: {adult-labour: S, child-labour: S}", "strength: {adult-labour: strong}", 1)
    error = refuse(tmp_path, text)
    assert error.key == "items[0].strength.adult-labour"
    assert "'strong' does not match" in error.reason


def test_duplicate_item_id(tmp_path):
    text = TOY.replace("- id: T02", "- id: T01")
    error = refuse(tmp_path, text)
    assert error.line == line_of(text, "- id: T01", occurrence=2)
    assert error.key == "items[1].id"
    assert "'T01' is used twice" in error.reason


def test_yaml_syntax_error(tmp_path):
    text = TOY.replace("languages: [en]", "languages: [en")
    error = refuse(tmp_path, text)
    assert "YAML syntax error" in error.reason
    assert error.line is not None and error.line >= line_of(text, "languages: [en")


def test_repeated_yaml_key(tmp_path):
    text = TOY.replace("version: 0.0.1-test\n", "version: 0.0.1-test\nversion: 0.0.2-test\n")
    error = refuse(tmp_path, text)
    assert error.line == line_of(text, "version: 0.0.2-test")
    assert "'version' appears twice" in error.reason


def test_unexpected_key(tmp_path):
    text = TOY.replace("  help: {en: Invented for tests.}\n", "  help: {en: Invented for tests.}\n  colour: red\n", 1)
    error = refuse(tmp_path, text)
    assert error.line == line_of(text, "colour: red")
    assert error.key == "items[0].colour"
    assert "unexpected key 'colour'" in error.reason


def test_unknown_name_in_a_rule(tmp_path):
    text = TOY.replace("    when: SCREEN\n", "    when: SCREEN_TYPO\n")
    error = refuse(tmp_path, text)
    assert error.line == line_of(text, "when: SCREEN_TYPO")
    assert "'SCREEN_TYPO'" in error.reason


def test_unknown_population(tmp_path):
    error = refuse(tmp_path, TOY.replace("- id: adult-sexual", "- id: adult-other"))
    assert error.key == "populations[1].id"


def test_item_on_an_undeclared_population(tmp_path):
    error = refuse(tmp_path, TOY.replace("populations: [adult-sexual]", "populations: [child-sexual]"))
    assert "'child-sexual' is not declared" in error.reason
    assert error.key == "items[5].populations"


def test_missing_language(tmp_path):
    error = refuse(tmp_path, TOY.replace("languages: [en]", "languages: [en, es]"))
    assert error.key == "items[0].text"
    assert "no text in es" in error.reason


def test_determinations_that_could_go_down_are_refused(tmp_path):
    text = TOY.replace("rank: 1", "rank: 5")  # insufficient-information above positive-screen
    error = refuse(tmp_path, text)
    assert error.key == "rules.determinations"
    assert "never goes down" in error.reason


def test_a_default_determination_is_required(tmp_path):
    text = TOY.replace(
        '    explanation: {en: "Fewer than two items were answered yes, and',
        '    when: SCREEN\n    explanation: {en: "Fewer than two items were answered yes, and',
    )
    error = refuse(tmp_path, text)
    assert "default" in error.reason


def test_rules_in_a_cycle_are_refused(tmp_path):
    text = TOY.replace("when: {at_least: 2, of: [T01, T02, T03, T04, T05, T06]}", "when: positive_screen")
    error = refuse(tmp_path, text)
    assert "cycle" in error.reason


def test_empty_and_unreadable_files(tmp_path):
    assert "empty" in refuse(tmp_path, "").reason
    with pytest.raises(InstrumentError, match="cannot read"):
        load_instrument(tmp_path / "missing.yaml")
    assert "not of type 'object'" in refuse(tmp_path, "- just a list\n").reason


def test_only_the_us_federal_standard_may_decide_a_severe_form(tmp_path):
    standard = "legal_standard:\n  id: palermo\n  label: {en: Palermo}\n  severe_form: [%s]\n"
    text = TOY.replace("schema_version: 1\n", "schema_version: 1\n" + standard % "T01", 1)
    error = refuse(tmp_path, text)
    assert "only the us-federal standard" in str(error)
    assert error.key.startswith("legal_standard.severe_form")


def test_a_floor_must_name_a_determination(tmp_path):
    text = re.sub(
        r"(populations:\n- id: [a-z-]+\n  label:[^\n]*\n(?:    [^\n]*\n)*)",
        lambda m: m.group(1) + "  floor: {determination: nowhere, reason: {en: because}}\n",
        TOY,
        count=1,
    )
    assert "nowhere" in text
    error = refuse(tmp_path, text)
    assert "'nowhere', which is not a determination" in str(error)
