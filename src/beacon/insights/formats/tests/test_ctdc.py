from __future__ import annotations

import pytest

from beacon.insights.formats.ctdc import (
    CTDC_VARIABLES,
    MEANS_OF_CONTROL,
    SEX_EXPLOITATION,
    UNMAPPED_MEANS_OF_CONTROL,
    UNMAPPED_SEX_EXPLOITATION,
    age_broad,
    alpha3,
    ctdc_row,
    traffick_months,
)
from beacon.reference.htcds import vocabulary


def test_the_27_codebook_variables_in_order():
    assert len(CTDC_VARIABLES) == 27 == len(set(CTDC_VARIABLES))
    assert CTDC_VARIABLES[:6] == (
        "yearOfRegistration",
        "gender",
        "ageBroad",
        "citizenship",
        "CountryOfExploitation",
        "traffickMonths",
    )
    assert CTDC_VARIABLES[-4:] == (
        "recruiterRelationIntimatePartner",
        "recruiterRelationFriend",
        "recruiterRelationFamily",
        "recruiterRelationOther",
    )


@pytest.mark.parametrize(
    ("age", "label"),
    [
        (0, "0-8"),
        (8, "0-8"),
        (9, "9-17"),
        (17, "9-17"),
        (18, "18-20"),
        (20, "18-20"),
        (21, "21-23"),
        (23, "21-23"),
        (24, "24-26"),
        (26, "24-26"),
        (27, "27-29"),
        (29, "27-29"),
        (30, "30-38"),
        (38, "30-38"),
        (39, "39-47"),
        (47, "39-47"),
        (48, "48+"),
        (97, "48+"),
        (None, ""),
    ],
)
def test_age_bins(age, label):
    assert age_broad(age) == label


@pytest.mark.parametrize(
    ("months", "label"),
    [(0, "0-12"), (12, "0-12"), (13, "13-24"), (24, "13-24"), (25, "25+"), (None, "")],
)
def test_months_bins(months, label):
    assert traffick_months(months) == label


@pytest.mark.parametrize("bad", [-1, 3.5, "12", True])
def test_bins_reject_non_counts(bad):
    with pytest.raises(ValueError):
        age_broad(bad)


@pytest.mark.parametrize(
    ("htcds", "ctdc"),
    [
        ("Feminine", "Woman"),
        ("Masculine", "Man"),
        ("TransgenderFeminine", "Trans/Transgender/NonConforming"),
        ("TransgenderMasculine", "Trans/Transgender/NonConforming"),
        ("NonConforming", "Trans/Transgender/NonConforming"),
        ("NonSpecifiedUnknown", ""),
    ],
)
def test_gender_mapping(htcds, ctdc):
    assert ctdc_row({"gender": htcds})["gender"] == ctdc


def test_every_htcds_gender_is_mapped():
    ctdc_genders = {"Woman", "Man", "Trans/Transgender/NonConforming"}
    names = [name for name, _ in vocabulary("prs_Gender")]
    assert names  # the HTCDS picklist is read from the field table
    for name in names:
        gender = ctdc_row({"gender": name})["gender"]
        # Every HTCDS value lands on a CTDC category; only "not specified" becomes missing.
        assert gender in ctdc_genders or (gender == "" and name == "NonSpecifiedUnknown"), name


def test_country_codes_become_alpha3():
    assert alpha3("MX") == "MEX" and alpha3("usa") == "USA" and alpha3(None) == ""
    with pytest.raises(ValueError):
        alpha3("XX")


def test_empty_record_is_all_missing():
    row = ctdc_row({})
    assert list(row) == list(CTDC_VARIABLES)
    assert set(row.values()) == {""}


def test_full_record():
    row = ctdc_row(
        {
            "registration_year": 2023,
            "gender": "Feminine",
            "age": 17,
            "citizenship": "GT",
            "country_of_exploitation": "US",
            "months_trafficked": 30,
            "methods_of_control": ["TakesEarnings", "ThreatsLawEnforcement", "WithholdsDocuments", "Other"],
            "types_of_exploitation": ["ForcedLabour", "ForcedBegging"],
            "forced_labour_industry": "I_AccommodationAndFoodServiceActivities",
            "types_of_sex_exploitation": ["RemoteInteractiveServices"],
            "recruiter_relations": ["IntimatePartner", "Unaquainted"],
        }
    )
    yes = {k for k, v in row.items() if v == "1"}
    assert yes == {
        "meansDebtBondageEarnings",
        "meansThreats",
        "meansWithholdDocs",
        "isForcedLabour",
        "isOtherExploit",
        "typeOfLabourHospitality",
        "recruiterRelationIntimatePartner",
        "recruiterRelationOther",
    }
    assert (row["yearOfRegistration"], row["ageBroad"], row["traffickMonths"]) == ("2023", "9-17", "25+")
    assert (row["citizenship"], row["CountryOfExploitation"]) == ("GTM", "USA")
    assert set(row.values()) <= {"", "1", "2023", "Woman", "9-17", "25+", "GTM", "USA"}


def test_isic_section_letter_is_accepted():
    assert ctdc_row({"forced_labour_industry": "T"})["typeOfLabourDomesticWork"] == "1"
    assert ctdc_row({"forced_labour_industry": "C_Manufacturing"}) == ctdc_row({})


def test_every_htcds_method_of_control_is_mapped_or_listed_as_unmapped():
    names = {name for name, _ in vocabulary("vic_MethodsOfControl")}
    assert set(MEANS_OF_CONTROL) | UNMAPPED_MEANS_OF_CONTROL == names
    assert not set(MEANS_OF_CONTROL) & UNMAPPED_MEANS_OF_CONTROL
    assert set(MEANS_OF_CONTROL.values()) == {v for v in CTDC_VARIABLES if v.startswith("means")}


def test_every_sex_exploitation_type_is_mapped_or_listed_as_unmapped():
    names = {name for name, _ in vocabulary("vic_TypeOfSexExploitation")}
    assert set(SEX_EXPLOITATION) | UNMAPPED_SEX_EXPLOITATION == names


def test_every_exploitation_type_sets_exactly_one_flag():
    for name, _ in vocabulary("vic_TypeOfExploitation"):
        row = ctdc_row({"types_of_exploitation": [name]})
        assert sum(row[k] == "1" for k in ("isForcedLabour", "isSexualExploit", "isOtherExploit")) == 1


@pytest.mark.parametrize(
    "record",
    [
        {"gender": "Female"},
        {"methods_of_control": ["Blackmail"]},
        {"types_of_exploitation": "ForcedLabour"},  # a string, not a collection
        {"forced_labour_industry": "Z"},
        {"recruiter_relations": ["Neighbour"]},
        {"registration_year": 23},
    ],
)
def test_unknown_codes_are_rejected(record):
    with pytest.raises(ValueError):
        ctdc_row(record)
