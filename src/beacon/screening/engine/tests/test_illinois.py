"""Illinois law where it is wider than the federal definition, and the partial finding of exploitation."""

from __future__ import annotations

import re

from beacon.screening.engine import ScreeningContext, evaluate

from .support import INSTRUMENTS_DIR, LEGAL, all_no, yes


def citations(result):
    return [(s.citation, s.title["en"]) for s in result.statutes]


def test_an_illinois_only_case_shows_the_illinois_offense():
    # Passport held and financial control, no threats: means under 720 ILCS 5/10-9, not under federal law.
    answers = all_no(
        LEGAL, "adult-labour", **yes("ACT_OBTAIN", "IL_DOCUMENTS", "IL_FINANCIAL", "PURPOSE_INVOLUNTARY_SERVITUDE")
    )
    result = evaluate(LEGAL, "adult-labour", answers, ScreeningContext(foreign_national=True))
    assert result.determination == "illinois-trafficking"
    assert ("720 ILCS 5/10-9", "Involuntary servitude") in citations(result)
    assert not any(c.startswith("18 U.S.C.") for c, _ in citations(result))
    assert result.severe_form == "not-met"  # not a federal severe form
    steps = [s.code for s in result.next_steps]
    assert "trafficking-services-referral" in steps and "immigration-legal-referral" in steps
    assert any(u.kind == "statute" for u in result.unconfirmed)  # the felony class stays unconfirmed


def test_the_federal_means_still_give_the_illinois_offense_too():
    answers = all_no(LEGAL, "adult-labour", **yes("ACT_OBTAIN", "MEANS_FORCE", "PURPOSE_INVOLUNTARY_SERVITUDE"))
    result = evaluate(LEGAL, "adult-labour", answers)
    assert result.determination == "labour-trafficking"
    assert ("720 ILCS 5/10-9", "Involuntary servitude") in citations(result)


def test_illinois_minor_offenses_cover_performance_pornography_and_promised_value():
    for item in ("IL_PROMISED_VALUE", "IL_EXPLICIT_PERFORMANCE", "IL_PORNOGRAPHY"):
        answers = all_no(LEGAL, "child-sexual", **yes("ACT_RECRUIT", item))
        result = evaluate(LEGAL, "child-sexual", answers)
        assert result.determination == "illinois-trafficking", item
        assert ("720 ILCS 5/10-9", "Involuntary sexual servitude of a minor") in citations(result), item
        assert [s.code for s in result.next_steps][:2] == ["dcfs-hotline", "mandated-reporting"]
    adult = evaluate(LEGAL, "adult-sexual", all_no(LEGAL, "adult-sexual", **yes("ACT_RECRUIT", "IL_PORNOGRAPHY")))
    assert adult.determination == "not-consistent"  # the minor offense needs a person under 18


def test_blackmail_is_an_illinois_means_and_a_u_visa_qualifying_crime():
    answers = all_no(LEGAL, "adult-labour", IL_BLACKMAIL="yes")
    result = evaluate(LEGAL, "adult-labour", answers, ScreeningContext(foreign_national=True))
    assert result.found["means_illinois"] and not result.found["means"]
    assert "u-visa-qualifying-crime" in result.route_tags
    assert "immigration-legal-referral" in [s.code for s in result.next_steps]


def test_exploitation_that_does_not_meet_the_trafficking_definition_has_its_own_referral():
    result = evaluate(LEGAL, "adult-labour", all_no(LEGAL, "adult-labour", EXPLOIT_WAGES="yes"))
    assert result.determination == "exploitation-not-trafficking"
    steps = [s.code for s in result.next_steps]
    assert steps == ["labour-rights-referral", "national-hotline"]
    child = evaluate(LEGAL, "child-labour", all_no(LEGAL, "child-labour", EXPLOIT_HAZARDOUS="yes"))
    assert child.determination == "exploitation-not-trafficking"
    steps = [s.code for s in child.next_steps]
    for code in ("labour-rights-referral", "child-labour-enforcement", "youth-services", "dcfs-hotline"):
        assert code in steps


def test_serious_harm_is_explained_in_every_language_the_instrument_ships():
    words = {"en": ("psychological", "financial", "reputational"), "es": ("psicológico", "económico", "reputación")}
    assert set(LEGAL.languages) == set(words)
    for item_id in ("MEANS_COERCION_THREAT", "MEANS_COERCION_SCHEME"):
        help_text = LEGAL.items_by_id[item_id].help
        for language in LEGAL.languages:
            assert all(word in help_text[language] for word in words[language]), (item_id, language)
            assert "1589(c)(2)" in help_text[language]


def test_new_translations_are_marked_for_native_speaker_review():
    text = (INSTRUMENTS_DIR / "us-legal-elements.yaml").read_text(encoding="utf-8").splitlines()
    new_items = {
        "IL_DOCUMENTS",
        "IL_BLACKMAIL",
        "IL_FINANCIAL",
        "IL_INTIMIDATION",
        "IL_PROMISED_VALUE",
        "IL_EXPLICIT_PERFORMANCE",
        "IL_PORNOGRAPHY",
        "EXPLOIT_WAGES",
        "EXPLOIT_HAZARDOUS",
    }
    current = None
    checked = 0
    for n, line in enumerate(text):
        match = re.match(r"- id: (\w+)$", line)
        if match:
            current = match.group(1)
        if current in new_items and line.strip().startswith("es:"):
            assert text[n - 1].strip() == "# review: native speaker", (current, n + 1)
            checked += 1
    assert checked == 3 * len(new_items)
