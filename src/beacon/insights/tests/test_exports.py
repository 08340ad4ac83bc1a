"""Standard exports: HTCDS tables validated against the schema generated from the pinned TSV, CTDC
binning at the bin edges, federal reports, CSV injection and the `export` command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from beacon.audit.models import AuditAction, AuditEntry
from beacon.cases.models import CaseNote, Perpetrator, ServicePlanItem, TraffickingEvent
from beacon.insights import exports, services
from beacon.insights.formats.ctdc import CTDC_VARIABLES
from beacon.insights.formats.federal import Period
from beacon.reference import htcds

pytestmark = pytest.mark.django_db


def _read_csv(chunks) -> list[dict[str, str]]:
    text = b"".join(chunks).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def rich_case(make_case, staff):
    case = make_case(
        exploitation_types=["ForcedLabour", "SexualExploitation"],
        sex_exploitation_types=["Prostitution"],
        methods_of_control=["DebtBondage", "WithholdsDocuments"],
        recruitment_methods=["AtWork"],
        recruitment_websites=["Facebook"],
        industry="A_AgricultureForestryAndFishing",
        relationship_to_trafficker="Familial",
        trafficking_status_decided_by="NGO",
        status="Closed",
        closure_reason="Services completed",
        closed_at=timezone.now(),
    )
    CaseNote.objects.create(case=case, author=staff["sup"], body="Met with client (fictional).")
    Perpetrator.objects.create(case=case, role="RecruiterOrIntermediary", description="Fictional")
    TraffickingEvent.objects.create(
        case=case,
        type="Exploitation",
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2025, 3, 1),
        county_id="17031",
        description="Farm",
    )
    ServicePlanItem.objects.create(
        case=case,
        category="legal_immigration",
        status="completed",
        start_date=dt.date(2025, 1, 1),
        completed_on=dt.date(2025, 2, 1),
    )
    return case


@pytest.mark.parametrize("table", exports.HTCDS_TABLES)
def test_every_htcds_csv_table_validates_against_the_generated_schema(table, rich_case, staff):
    rows = _read_csv(services.htcds_csv(staff["sup"], table))
    assert rows, f"no {table} rows"
    assert list(rows[0]) == htcds.csv_header(table)
    assert htcds.validate_rows(table, rows, form="csv") == []


def test_the_htcds_json_form_validates_and_uses_value_names(rich_case, staff):
    document = json.loads(b"".join(services.htcds_json(staff["sup"])))
    assert htcds.validate_form(document) == []
    victim = document["victim"][0]
    assert victim["vic_TypeOfExploitation"] == ["ForcedLabour", "SexualExploitation"]
    assert victim["vic_RelationshipToTrafficker"] == "Familial"
    assert document["support_plan"][0]["spl_Type"] == "Legal"
    assert document["person"][0]["prs_FirstName"] == "Ana"  # decrypted for the owning agency's export


@pytest.mark.parametrize(
    ("age", "expected"), [(8, "0-8"), (9, "9-17"), (17, "9-17"), (18, "18-20"), (47, "39-47"), (48, "48+"), (None, "")]
)
def test_ctdc_age_bins_at_the_edges(age, expected, make_case, staff):
    make_case(age=age)
    rows = _read_csv(services.ctdc_csv(staff["sup"]))
    assert list(rows[0]) == list(CTDC_VARIABLES)
    assert rows[0]["ageBroad"] == expected


def test_ctdc_row_from_a_case(rich_case, staff):
    row = _read_csv(services.ctdc_csv(staff["sup"]))[0]
    assert row["gender"] == "Woman" and row["citizenship"] == "MEX" and row["CountryOfExploitation"] == "USA"
    assert row["traffickMonths"] == "13-24"
    assert row["isForcedLabour"] == row["isSexualExploit"] == row["typeOfLabourAgriculture"] == "1"
    assert row["meansDebtBondageEarnings"] == row["meansWithholdDocs"] == "1"
    assert row["recruiterRelationFamily"] == "1" and row["isOtherExploit"] == ""


def test_a_record_with_an_unknown_code_is_left_out_not_fatal(make_case, staff):
    make_case(methods_of_control=["NotAControlMethod"])
    make_case()
    assert len(_read_csv(services.ctdc_csv(staff["sup"]))) == 1


def test_spreadsheet_formulas_are_neutralised(make_case, staff):
    make_case(given_name='=HYPERLINK("http://x")', family_name="+SUM(A1)")
    rows = _read_csv(services.htcds_csv(staff["sup"], "person"))
    assert rows[0]["prs_FirstName"].startswith("'=")
    assert rows[0]["prs_SecondName"].startswith("'+")


def test_federal_reports(rich_case, make_case, staff):
    make_case(age=16, exploitation_types=["SexualExploitation"], citizenship="USA")
    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=180), today)
    ovc = {row[1]: row[2] for row in services.federal_report(staff["sup"], "ovc", period) if len(row) == 3}
    assert ovc["Clients served in the period"] == "2"
    assert ovc["Minors (under 18)"] == "1"
    assert ovc["Both sex and labor trafficking"] == "1"
    assert ovc["U.S. citizens or lawful permanent residents"] == "1"
    assert ovc["Outreach events"] == "0"
    nibrs = services.federal_report(staff["sup"], "nibrs", period)
    by_code = {row[0]: row for row in nibrs[2:]}
    assert by_code["64A"][3] == "2" and by_code["64B"][3] == "1"
    closure = services.federal_report(staff["sup"], "closure", period)
    assert ["Closed cases", "", "1"] in closure
    assert ["reason", "Services completed", "1"] in closure
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, object_id="federal:ovc").exists()


def test_federal_download_rejects_a_backwards_period(staff, staff_client, counties):
    response = staff_client(staff["sup"]).get(
        "/staff/insights/exports/federal.csv?report=ovc&start=2025-06-30&end=2025-01-01"
    )
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()


def test_export_command_writes_every_table_and_audits(rich_case, staff, tmp_path):
    call_command("export", "htcds", "--as", staff["sup"].username, "--out", str(tmp_path))
    for table in exports.HTCDS_TABLES:
        with (tmp_path / f"htcds-{table}.csv").open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert htcds.validate_rows(table, rows, form="csv") == []
    assert htcds.validate_form(json.loads((tmp_path / "htcds.json").read_text())) == []
    call_command("export", "ctdc", "--as", staff["sup"].username, "--out", str(tmp_path / "ctdc.csv"))
    call_command(
        "export",
        "federal",
        "ovc",
        "--as",
        staff["sup"].username,
        "--start",
        "2025-01-01",
        "--end",
        "2025-06-30",
        "--out",
        str(tmp_path / "ovc.csv"),
    )
    assert (tmp_path / "ovc.csv").read_text().startswith("PROVISIONAL")
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == len(exports.HTCDS_TABLES) + 3


def test_export_command_refuses_analysts(rich_case, staff, tmp_path):
    with pytest.raises(CommandError, match="may not export"):
        call_command("export", "ctdc", "--as", staff["analyst"].username, "--out", str(tmp_path / "x.csv"))
    assert not (tmp_path / "x.csv").exists()


def test_the_ovc_report_counts_the_agency_outreach_in_the_period(staff, counties):
    from beacon.outreach.services import OutreachInput, record_outreach

    today = timezone.localdate()
    for days_ago, reached, county in ((10, 140, counties["17031"]), (40, 35, counties["17031"]), (400, 900, None)):
        record_outreach(
            staff["cw"],
            OutreachInput(
                held_on=today - dt.timedelta(days=days_ago),
                audience="farmworkers",
                people_reached=reached,
                county=county,
                follow_ups=2,
            ),
        )
    record_outreach(staff["other_sup"], OutreachInput(held_on=today, audience="youth", people_reached=60))
    period = Period(today - dt.timedelta(days=180), today)
    rows = services.federal_report(staff["sup"], "ovc", period)
    outreach = {row[1]: row[2] for row in rows if row[0] == "Outreach (from outreach records)"}
    assert outreach == {
        "Outreach events": "2",
        "People reached": "175",
        "Materials handed out": "0",
        "People who asked for follow-up": "4",
        "Counties reached": "1",
    }
