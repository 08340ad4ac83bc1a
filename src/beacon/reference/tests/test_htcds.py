from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from beacon.reference import htcds

# The project's reference data sits beside the checkout as ../shared (see shared/data/README.md).
SHARED_TSV = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "htcds2_field_standards.tsv"


def test_shipped_table_is_the_shared_reference_copy():
    if not SHARED_TSV.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI runs with shared/ beside the checkout, but {SHARED_TSV} is missing")
        pytest.skip("shared/ is not beside this checkout")
    assert htcds.DATA.read_bytes() == SHARED_TSV.read_bytes()


def test_attribution_names_iom_the_commit_and_the_conditions():
    text = (htcds.DATA.parent / "HTCDS_ATTRIBUTION.md").read_text()
    assert htcds.HTCDS_COMMIT in text and "IOM" in text and "CC BY 4.0" in text
    assert "endorse" in text and "logo" in text


def test_tables_and_fields():
    tables = htcds.tables()
    assert list(tables) == [
        "organisation",
        "person",
        "victim",
        "perpetrator",
        "case",
        "referral_details",
        "case_comment",
        "historic_trafficking_event",
        "support_plan",
        "consent",
    ]
    assert sum(len(t.fields) for t in tables.values()) == 81  # the DRAFT rows
    names = {f.name for t in tables.values() for f in t.fields}
    # deprecated and example rows are left out
    assert "vic_AgreementToManagePersonalData" not in names and "vic_Vulnerabilities" not in names
    assert {f.name for f in tables["referral_details"].fields} >= {"cas_IncomingReferralDate"}
    case_fields = [f.name for f in tables["case"].fields]
    assert case_fields == ["cas_Status", "cas_ReasonForCaseClosure", "cas_CaseOwner"]
    gender = tables["person"].field("prs_Gender")
    assert gender.core and gender.type == "Picklist"


def test_vocabulary_names_and_labels():
    assert htcds.vocabulary("prs_Gender")[2] == ("TransgenderFeminine", "Transgender Feminine")
    statuses = [n for n, _ in htcds.vocabulary("cas_Status")]
    assert statuses == ["Active", "FollowUp", "Closed", "ClosedReferred"]
    assert [n for n, _ in htcds.vocabulary("hte_Type")] == ["Recruitment", "Transit", "Exploitation"]
    assert htcds.vocabulary("spl_Type")[-1] == ("SocialCare", "Social Care")  # trailing separator dropped
    industries = htcds.vocabulary("vic_ForcedLabourIndustry")
    assert len(industries) == 21 and industries[0][0] == "A_AgricultureForestryAndFishing"
    assert htcds.vocabulary("prs_Citizenship") == []  # ISO codes, not a list
    with pytest.raises(KeyError):
        htcds.vocabulary("vic_Vulnerabilities")


def test_field_types_map_to_schema_types():
    props = htcds.table_schema("person")["properties"]
    assert props["prs_Birthdate"]["format"] == "date"
    assert props["prs_NumberOfChildren"]["type"] == "number"
    assert props["prs_Deceased"]["type"] == "boolean"
    assert props["prs_Gender"]["enum"][0] == "Feminine"
    assert props["prs_Citizenship"]["type"] == "array"
    assert props["prs_Citizenship"]["items"]["pattern"]
    assert props["prs_MailingCountry"]["pattern"] == "^[A-Z]{2}$"
    assert props["prs_PrimaryLanguage"]["pattern"] == "^[a-z]{2,3}$"
    assert props["prs_MobilePhone"]["pattern"] == r"^\+?[1-9]\d{1,14}$"
    org = htcds.table_schema("organisation")["properties"]
    assert org["org_ShippingLatitude"]["type"] == "number"
    victim = htcds.table_schema("victim")["properties"]
    assert victim["vic_LocationOfRecruitment"]["type"] == "string"
    assert victim["vic_MethodsOfControl"]["items"]["enum"][0] == "PhysicalThreats"


def test_schemas_are_valid_draft_2020_12_and_pinned():
    for key in htcds.tables():
        for form in ("json", "csv"):
            schema = htcds.table_schema(key, form)
            Draft202012Validator.check_schema(schema)
            assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
            assert htcds.HTCDS_COMMIT in schema["$id"] and htcds.HTCDS_COMMIT in schema["$comment"]
    form = htcds.form_schema()
    Draft202012Validator.check_schema(form)
    assert htcds.HTCDS_COMMIT in form["$id"]


VALID_PERSON = {
    "id": "P-7KQ2",
    "prs_FirstName": "Ana",
    "prs_Birthdate": "1999-04-30",
    "prs_Gender": "Feminine",
    "prs_Deceased": False,
    "prs_NumberOfChildren": 2,
    "prs_Citizenship": ["MEX", "US"],
    "prs_PrimaryLanguage": "spa",
    "prs_MobilePhone": "+13125550100",
}


def test_valid_sample_passes():
    assert htcds.validate_rows("person", [VALID_PERSON]) == []
    victim = {"vic_TraffickingStatus": "PossibleVictimOfTrafficking", "vic_MethodsOfControl": ["DebtBondage"]}
    assert htcds.validate_rows("victim", [victim]) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"prs_Gender": "Female"}, "prs_Gender"),
        ({"prs_Birthdate": "30/04/1999"}, "prs_Birthdate"),
        ({"prs_Birthdate": "19990430"}, "prs_Birthdate"),
        ({"prs_Citizenship": ["Mexico"]}, "prs_Citizenship"),
        ({"prs_Citizenship": ["MEX", "MEX"]}, "prs_Citizenship"),
        ({"prs_Deceased": "no"}, "prs_Deceased"),
        ({"prs_MobilePhone": "312-555-0100"}, "prs_MobilePhone"),
        ({"prs_Nickname": "x"}, ""),
    ],
)
def test_wrong_values_fail(change, field):
    errors = htcds.validate_rows("person", [VALID_PERSON, {**VALID_PERSON, **change}])
    assert errors and all(e.row == 1 for e in errors)
    assert errors[0].field == field


def test_wrong_multiselect_picklist_value_fails():
    errors = htcds.validate_rows("victim", [{"vic_MethodsOfControl": ["DebtBondage", "Blackmail"]}])
    assert [e.field for e in errors] == ["vic_MethodsOfControl"]
    assert "Blackmail" in errors[0].message


def test_csv_rows_round_trip_and_validate():
    row = htcds.csv_row("person", VALID_PERSON)
    assert list(row) == htcds.csv_header("person")
    assert row["prs_Citizenship"] == "MEX;US" and row["prs_Deceased"] == "false"
    assert row["prs_NumberOfChildren"] == "2" and row["prs_Salutation"] == ""
    assert htcds.validate_rows("person", [row], form="csv") == []
    bad = {**row, "prs_Gender": "Female", "prs_Citizenship": "MEX;Mexico", "prs_NumberOfChildren": "two"}
    errors = htcds.validate_rows("person", [bad], form="csv")
    assert {e.field for e in errors} == {"prs_Gender", "prs_Citizenship", "prs_NumberOfChildren"}
    assert any("is not one of" in e.message for e in errors)


def test_csv_multiselect_picklist():
    ok = {"vic_MethodsOfControl": "DebtBondage;FalsePromises"}
    assert htcds.validate_rows("victim", [ok], form="csv") == []
    assert htcds.validate_rows("victim", [{"vic_MethodsOfControl": "DebtBondage;"}], form="csv")


def test_whole_form_document():
    document = {
        "htcds_version": "2.0",
        "person": [VALID_PERSON],
        "case": [{"id": "C-1", "cas_Status": "Active"}],
    }
    assert htcds.validate_form(document) == []
    document["case"][0]["cas_Status"] = "Open"
    errors = htcds.validate_form(document)
    assert len(errors) == 1 and errors[0].startswith("case/0/cas_Status")


def test_command_line_writes_the_schemas(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "beacon.reference.htcds", "--schema", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(htcds.__file__).resolve().parents[2])},
    )
    written = sorted(p.name for p in tmp_path.iterdir())
    assert "htcds-form.schema.json" in written
    assert "htcds-person.schema.json" in written and "htcds-person.csv-row.schema.json" in written
    assert len(written) == 1 + 2 * len(htcds.tables())
    assert len(result.stdout.splitlines()) == len(written)
    form = json.loads((tmp_path / "htcds-form.schema.json").read_text())
    assert form == htcds.form_schema()
