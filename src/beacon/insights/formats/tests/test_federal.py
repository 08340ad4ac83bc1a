from __future__ import annotations

from datetime import date

import pytest

from beacon.insights.formats.federal import (
    ClientRecord,
    ClosureRecord,
    DefinitionError,
    OffenseRecord,
    Period,
    closure_summary,
    load_definition,
    nibrs_counts,
    ovc_report,
)

PERIOD = Period(date(2025, 1, 1), date(2025, 6, 30))
F = frozenset

CLIENTS = [
    # new in the period: minor, sex, US citizen, referred by local police
    ClientRecord(
        "c1",
        date(2025, 2, 1),
        age_at_intake=16,
        gender="Feminine",
        trafficking_types=F({"sex"}),
        citizenship_status="us_citizen",
        referral_source="state_local_le",
        services=F({"case_management", "counseling"}),
    ),
    # new: adult, labour, foreign national, hotline
    ClientRecord(
        "c2",
        date(2025, 6, 30),
        age_at_intake=34,
        gender="Masculine",
        trafficking_types=F({"labor"}),
        citizenship_status="foreign_national",
        referral_source="hotline",
        services=F({"legal_immigration", "shelter"}),
    ),
    # continuing: opened last year, still open; both types; LPR; federal LE
    ClientRecord(
        "c3",
        date(2024, 11, 5),
        age_at_intake=22,
        gender="TransgenderFeminine",
        trafficking_types=F({"sex", "labor"}),
        citizenship_status="lawful_permanent_resident",
        referral_source="federal_le",
        services=F({"legal_civil", "legal_criminal"}),
    ),
    # continuing: closed during the period; nothing known
    ClientRecord("c4", date(2024, 3, 1), closed_date=date(2025, 1, 1)),
    # not served: closed before the period
    ClientRecord(
        "c5",
        date(2024, 1, 1),
        closed_date=date(2024, 12, 31),
        age_at_intake=40,
        trafficking_types=F({"labor"}),
    ),
    # not served: intake after the period
    ClientRecord("c6", date(2025, 7, 1), age_at_intake=19, trafficking_types=F({"sex"})),
]


def test_ovc_counts_on_a_hand_made_data_set():
    counts = ovc_report(CLIENTS, PERIOD).counts()
    expected = {
        "clients_total": 4,
        "clients_new": 2,
        "clients_continuing": 2,
        "age_adult": 2,
        "age_minor": 1,
        "age_unknown": 1,
        "type_sex": 1,
        "type_labor": 1,
        "type_both": 1,
        "type_unknown": 1,
        "gender_woman": 1,
        "gender_man": 1,
        "gender_transgender": 1,
        "gender_nonconforming": 0,
        "gender_unknown": 1,
        "nationality_foreign": 1,
        "nationality_us": 2,
        "nationality_unknown": 1,
        "referral_federal_le": 1,
        "referral_state_local_le": 1,
        "referral_community": 0,
        "referral_self": 0,
        "referral_hotline": 1,
        "referral_other": 1,
        "services_case_management": 1,
        "services_legal": 2,
        "services_legal_immigration": 1,
        "services_counseling": 1,
        "services_health": 0,
        "services_shelter": 1,
        "services_employment": 0,
        "services_financial": 0,
        "services_interpretation": 0,
        "services_safety_planning": 0,
    }
    assert counts == expected


def test_report_shows_the_provisional_mark():
    report = ovc_report(CLIENTS, PERIOD)
    assert report.provisional
    assert "exact element list is to be confirmed" in report.mark
    assert report.render_text().startswith("PROVISIONAL: The exact element list is to be confirmed")
    assert report.as_rows()[0] == [report.mark]
    assert ["Clients served", "New clients", "2"] in report.as_rows()


def test_definition_file_is_data(tmp_path):
    custom = tmp_path / "custom.yaml"
    custom.write_text(
        "id: t\nlabel: Test\nversion: 2\nprovisional: false\npopulation: {}\n"
        "items:\n  - {id: minors_sex, section: S, label: Minors trafficked for sex,"
        " where: {age_group: [minor], trafficking_type: [sex, both]}}\n"
    )
    report = ovc_report(CLIENTS, PERIOD, load_definition(custom))
    assert report.counts() == {"minors_sex": 1}
    assert report.mark == "" and not report.render_text().startswith("PROVISIONAL")


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ("  - {id: a, section: S, label: L, where: {colour: [red]}}\n", "colour"),
        ("  - {id: a, section: S, label: L, where: {age_group: [elderly]}}\n", "elderly"),
        ("  - {id: a, section: S, label: L, where: {}}\n" * 2, "duplicate"),
        ("  - {id: a, section: S, label: L, where: \"__import__('os')\"}\n", "where"),
    ],
)
def test_bad_definitions_are_refused(tmp_path, items, message):
    path = tmp_path / "bad.yaml"
    path.write_text(f"id: t\nlabel: T\nversion: 1\nprovisional: true\npopulation: {{}}\nitems:\n{items}")
    with pytest.raises(DefinitionError, match=message):
        load_definition(path)


def test_unknown_client_codes_are_refused():
    with pytest.raises(ValueError, match="referral_source"):
        ovc_report([ClientRecord("x", date(2025, 1, 2), referral_source="police")], PERIOD)
    with pytest.raises(ValueError, match="twice"):
        ovc_report([CLIENTS[0], CLIENTS[0]], PERIOD)


def test_nibrs_counts():
    counts = nibrs_counts(
        [
            OffenseRecord("i1", "64A", 2),
            OffenseRecord("i1", "40B", 2),
            OffenseRecord("i2", "64a", 1),
            OffenseRecord("i3", "64B", 3),
            OffenseRecord("i4", "40C"),
            OffenseRecord("i5", "13A", 1),
        ]
    )
    lines = counts.by_code()
    assert list(lines) == ["64A", "64B", "40A", "40B", "40C"]
    assert (lines["64A"].offenses, lines["64A"].incidents, lines["64A"].victims) == (2, 2, 3)
    assert (lines["64B"].incidents, lines["40A"].offenses, lines["40C"].incidents) == (1, 0, 1)
    assert lines["64B"].label == "Human Trafficking, Involuntary Servitude"
    assert counts.human_trafficking_incidents == 3
    assert counts.other_offenses == 1


def test_closure_summary():
    summary = closure_summary(
        [
            ClosureRecord("a", "goals_met", "independent", "granted", "applied", "certification"),
            ClosureRecord("b", "goals_met", "shelter", None, "granted", "eligibility_letter"),
            ClosureRecord("c", "lost_contact"),
        ]
    )
    assert summary.closed == 3
    assert summary.by_reason == {"goals_met": 2, "lost_contact": 1}
    assert list(summary.by_reason) == ["goals_met", "lost_contact"]
    assert summary.by_continued_presence == {"unknown": 2, "granted": 1}
    assert summary.by_t_visa == {"applied": 1, "granted": 1, "unknown": 1}
    assert summary.by_hhs_letter == {"certification": 1, "eligibility_letter": 1, "unknown": 1}
    assert summary.by_living_situation["unknown"] == 1
