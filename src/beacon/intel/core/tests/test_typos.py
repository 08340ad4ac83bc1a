from pathlib import Path

import pytest

from beacon.intel.core import score_flags
from beacon.intel.core.flags import default_rules
from beacon.intel.core.typos import Vocabulary, correct, pattern_words

SENTENCES = Path(__file__).resolve().parents[5] / "benchmarks" / "data" / "flag_sentences.tsv"


def _fired(text: str) -> dict[str, list[str]]:
    return {h.flag_id: [m.text for m in h.matches] for h in score_flags(text)}


@pytest.mark.parametrize(
    ("text", "flag", "words"),
    [
        ("Send your pasport copy today.", "lr_early_id_request", "Send your pasport"),
        ("Room and meals deductd from pay.", "lr_pay_deductions", "meals deductd"),
        ("Regis tration fee of $40.", "lr_worker_fees", "Regis tration fee"),
        ("Papers arrangd before you travel.", "lr_visa_promise", "Papers arrangd"),
        ("Start immediatly, transport ready.", "lr_urgency", "Start immediatly"),
        ("Pague la cuota de inscripcion.", "lr_worker_fees", "cuota de inscripcion"),
    ],
)
def test_a_typo_or_a_split_word_still_fires_and_is_reported_as_written(text: str, flag: str, words: str) -> None:
    fired = _fired(text)
    assert flag in fired and words in fired[flag]


@pytest.mark.parametrize(
    "text",
    ["Passport photos taken here.", "The passport office is open late.", "Great team, fair pay."],
)
def test_ordinary_words_near_flag_words_do_not_fire(text: str) -> None:
    assert _fired(text) == {}


def test_pattern_words_skip_character_class_fragments() -> None:
    words = pattern_words(["almac[eé]n", "(?:registration|placement) fees?"])
    assert words == {"registration", "placement", "fees", "fee"}


def test_the_corrected_text_maps_back_to_the_original() -> None:
    vocab = Vocabulary.of(frozenset({"passport", "deducted"}))
    low = "send pasport now; pass port; deductd"
    fixed = correct(vocab, low, {"send", "pasport", "now", "pass", "port", "deductd"})
    assert fixed is not None and fixed.low == "send passport now; passport; deducted"
    s = fixed.low.index("passport")
    assert low[slice(*fixed.span(s, s + len("passport")))] == "pasport"
    s = fixed.low.index("passport", s + 1)
    assert low[slice(*fixed.span(s, s + len("passport")))] == "pass port"
    assert correct(vocab, "nothing to fix here", {"nothing", "to", "fix", "here"}) is None


def test_the_flag_test_set_has_200_sentences_in_both_languages_with_hard_negatives() -> None:
    rows = [line.split("\t") for line in SENTENCES.read_text("utf-8").splitlines() if line and line[0] != "#"]
    assert len(rows) >= 200
    assert {r[0] for r in rows} == {"en", "es"}
    known = {f.id for f in default_rules().flags}
    labelled = {f for r in rows for f in r[1].split() if f != "-"}
    assert labelled <= known
    negatives = [r for r in rows if r[1] == "-"]
    assert len(negatives) >= 60 and {r[0] for r in negatives} == {"en", "es"}
