"""The shipped instrument files say what ../shared/domain/screening.md says, with its IDs."""

from __future__ import annotations

import re

import pytest

from beacon.screening.engine import POPULATIONS, load_instruments

from .support import FLAGS, ILO, LEGAL

# The adult-labour list of screening.md, section 1: ID and strength.
ADULT_LABOUR = """
DR01 S DR02 M DR03 M DR04 M DR05 M DR06 M DR07 M DR08 M DR09 M DR10 W
CR01 S CR02 M CR03 M CR04 M CR05 M CR06 M CR07 M CR08 M CR09 M CR10 M
VR01 M VR02 M VR03 M VR04 M VR05 M VR06 M VR07 M VR08 M
VR09 M VR10 M VR11 M VR12 M VR13 M VR14 M VR15 W VR16 W
EX01 S EX02 M EX03 M EX04 M EX05 M EX06 M EX07 M EX08 M EX09 W
CD01 S CD02 S CD03 S CD04 S CD05 M CD06 M CD07 M CD08 M CD09 M CD10 M CD11 M CD12 M CD13 M CD14 M CD15 W
VD01 M VD02 M VD03 M VD04 M VD05 M VD06 W VD07 W
"""
EXPECTED = dict(re.findall(r"(\w\w\d\d) ([SMW])", ADULT_LABOUR))
TIP_LANGUAGES = ("en", "es", "pl", "zh-hans", "ar", "tl", "ko", "ru", "gu", "vi", "uk", "ur", "hi")


def test_the_three_instruments_are_registered():
    assert {"ilo-2009", "us-legal-elements", "community-red-flags"} <= set(load_instruments())


def test_ilo_adult_labour_list_has_the_67_ids_and_strengths_of_the_domain_file():
    assert len(EXPECTED) == 67
    strengths = {item.id: item.strengths["adult-labour"] for item in ILO.items}
    assert strengths == EXPECTED
    assert [item.id for item in ILO.items] == list(EXPECTED)  # same order as the brochure


def test_ilo_dimension_counts_match_the_brochure():
    counts = {}
    for item in ILO.items:
        counts[item.dimension] = counts.get(item.dimension, 0) + 1
    assert counts == {"DR": 10, "CR": 10, "VR": 16, "EX": 9, "CD": 15, "VD": 7}


def test_ilo_child_list_is_derived_from_the_adult_list():
    for item_id, adult in EXPECTED.items():
        item = ILO.items_by_id[item_id]
        if item_id in {"VR08", "EX06"}:
            assert "child-labour" not in item.strengths
            continue
        expected = "S" if item_id in {"DR10", "CR02", "CR04", "CR07", "CD05", "CD06", "CD12"} else adult
        expected = "M" if expected == "W" else expected
        assert item.strengths["child-labour"] == expected, item_id
    assert len(ILO.plan("child-labour").items) == 65
    assert ILO.populations["child-labour"].unconfirmed


def test_ilo_marks_vr13_and_vr14_unconfirmed_for_adults_only():
    marked = {item.id for item in ILO.items if item.unconfirmed}
    assert marked == {"VR13", "VR14"}
    assert set(ILO.items_by_id["VR13"].unconfirmed) == {"adult-labour"}


def test_ilo_does_not_claim_the_sexual_exploitation_lists():
    assert set(ILO.populations) == {"adult-labour", "child-labour"}


def test_every_item_has_a_question_and_help_in_english_and_spanish():
    for instrument in (ILO, LEGAL, FLAGS):
        for item in instrument.items:
            for field in (item.question, item.help, item.text):
                assert field["en"].strip() and field["es"].strip(), (instrument.id, item.id)


def test_legal_elements_items_cover_act_means_purpose_and_age():
    ids = {item.id for item in LEGAL.items}
    acts = {"RECRUIT", "HARBOR", "TRANSPORT", "PROVIDE", "OBTAIN", "PATRONIZE", "SOLICIT"}
    assert {f"ACT_{act}" for act in acts} <= ids
    assert {
        "MEANS_FORCE",
        "MEANS_FRAUD",
        "MEANS_COERCION_THREAT",
        "MEANS_COERCION_SCHEME",
        "MEANS_COERCION_LEGAL",
    } <= ids
    assert {
        "PURPOSE_COMMERCIAL_SEX",
        "PURPOSE_INVOLUNTARY_SERVITUDE",
        "PURPOSE_PEONAGE",
        "PURPOSE_DEBT_BONDAGE",
        "PURPOSE_SLAVERY",
        "AGE_UNDER_18",
    } <= ids
    assert set(LEGAL.populations) == set(POPULATIONS)


def test_legal_statutes_show_offenses_never_a_felony_class():
    citations = {statute.citation for statute in LEGAL.statutes}
    assert {"18 U.S.C. 1589", "18 U.S.C. 1590", "18 U.S.C. 1591", "720 ILCS 5/10-9"} <= citations
    for statute in LEGAL.statutes:
        assert not re.search(r"\bClass\b", statute.title["en"])
        if statute.citation == "720 ILCS 5/10-9":
            assert statute.unconfirmed


def test_red_flags_have_the_ten_signs_in_every_tip_language():
    assert [item.id for item in FLAGS.items] == [
        "PHYSICAL_ABUSE",
        "RESTRICTED_MOVEMENT",
        "POOR_LIVING_CONDITIONS",
        "NO_CONTROL_OF_DOCUMENTS",
        "DEBT",
        "UNPAID_OR_UNDERPAID",
        "FEAR_AND_TRAUMA",
        "THIRD_PARTY_SPEAKS",
        "FORCED_ILLEGAL_ACTIVITY",
        "NO_CONTROL_OF_LIFE",
    ]
    assert set(FLAGS.languages) == set(TIP_LANGUAGES)
    for item in FLAGS.items:
        for language in TIP_LANGUAGES:
            assert item.question[language].strip() and item.text[language].strip(), (item.id, language)
        # Translations are real: no two languages share a question text.
        assert len(set(item.question.values())) == len(TIP_LANGUAGES), item.id


@pytest.mark.parametrize("item", FLAGS.items, ids=lambda item: item.id)
def test_red_flag_weights_follow_the_ilo_strength_of_the_indicators_they_map_to(item):
    assert item.maps_to
    strengths = []
    for ref in item.maps_to:
        instrument_id, item_id = ref.split(":")
        assert instrument_id == "ilo-2009"
        strengths.append(ILO.items_by_id[item_id].strengths["adult-labour"])
    assert item.weight == (3 if "S" in strengths else 2)


def test_red_flags_say_they_are_beacon_grading():
    assert "Beacon" in FLAGS.source.citation
    assert FLAGS.unconfirmed and "Beacon" in FLAGS.unconfirmed["en"]
    assert not FLAGS.classifies_trafficking
