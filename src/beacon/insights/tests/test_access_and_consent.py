"""Who sees what: analysts get suppressed aggregates only, never rows; non-consenting people are left
out of every figure and export; every export is audited."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from beacon.access.policy import AccessDenied
from beacon.accounts.roles import Role
from beacon.audit.models import AuditAction, AuditEntry
from beacon.cases import services as case_services
from beacon.cases.models import Consent, ConsentKind
from beacon.insights import services
from beacon.insights.selectors import Filters

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
FILTERS = Filters(start=TODAY - dt.timedelta(days=400), end=TODAY)


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_analysts_see_small_counts_suppressed_with_complements(many_cases, staff):
    many_cases(3, gender="Masculine")
    many_cases(20, gender="Feminine")
    many_cases(25, gender="NonSpecifiedUnknown")
    table = services.panel(staff["analyst"], "cases_gender", FILTERS).table
    assert table.suppressed
    shown = {label: cells[-1] for _code, label, cells in table.rows}
    assert shown["Masculine"] == "<11"
    # The total would give the small cell away with one subtraction; a second cell is hidden too.
    hidden = [label for label, v in shown.items() if not v.isdigit()]
    assert len(hidden) >= 2 or not table.totals[-1].isdigit()
    assert "3" not in [v for cells in (c for _code, _l, c in table.rows) for v in cells]


def test_no_line_of_a_suppressed_table_hides_exactly_one_value(many_cases, staff, other_agency):
    many_cases(2, gender="Masculine", county="17031")
    many_cases(14, gender="Masculine", county="17201")
    many_cases(15, gender="Feminine", county="17031")
    many_cases(12, gender="Feminine", county="17201")
    table = services.panel(staff["analyst"], "cases_county", FILTERS).table
    lines = [cells for _code, _label, cells in table.rows] + [table.totals]
    for line in lines:
        assert sum(not v.isdigit() for v in line) != 1
    for column in zip(*lines, strict=True):
        assert sum(not v.isdigit() for v in column) != 1


def test_caseworkers_see_their_agency_suppressed_and_cannot_download(many_cases, staff, staff_client, other_agency):
    many_cases(2)
    many_cases(30, case_agency=other_agency)
    table = services.panel(staff["cw"], "cases_gender", FILTERS).table
    assert table.totals[-1] == "<11"
    response = staff_client(staff["cw"]).get("/staff/insights/panels/cases_gender.csv")
    assert response.status_code == 403


def test_supervisors_see_exact_figures_on_screen_but_download_suppressed(many_cases, staff, staff_client):
    many_cases(4)
    assert services.panel(staff["sup"], "cases_gender", FILTERS).table.totals[-1] == "4"
    response = staff_client(staff["sup"]).get("/staff/insights/panels/cases_gender.csv")
    assert response.status_code == 200
    body = _csv(response)
    assert "<11" in body and ",4" not in body
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="insights.panel").exists()


def test_users_without_the_insights_grant_are_refused(staff, staff_client, counties):
    assert staff_client(staff["admin"]).get("/staff/insights/").status_code == 403
    with pytest.raises(AccessDenied):
        services.panel(staff["admin"], "cases_gender", FILTERS)


@pytest.mark.parametrize(
    "path",
    [
        "/staff/insights/exports/",
        "/staff/insights/exports/htcds/person.csv",
        "/staff/insights/exports/htcds.json",
        "/staff/insights/exports/ctdc.csv",
        "/staff/insights/exports/federal.csv?report=ovc&start=2025-01-01&end=2025-06-30",
    ],
)
def test_no_person_level_data_reaches_analysts(path, make_case, staff, staff_client):
    make_case(given_name="Zofia")
    response = staff_client(staff["analyst"]).get(path)
    assert response.status_code == 403
    assert b"Zofia" not in response.content
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_analyst_service_calls_are_refused_too(make_case, staff):
    make_case()
    for call in (
        lambda: services.htcds_csv(staff["analyst"], "person"),
        lambda: services.ctdc_csv(staff["analyst"]),
        lambda: services.htcds_json(staff["analyst"]),
    ):
        with pytest.raises(AccessDenied):
            call()


def test_api_panels_follow_the_same_suppression(many_cases, staff, staff_client):
    many_cases(3)
    client = staff_client(staff["analyst"])
    response = client.get("/api/v1/insights/panels/cases_gender")
    assert response.status_code == 200
    data = response.json()
    assert data["suppressed"] is True and data["totals"][-1] == "<11"
    assert client.get("/api/v1/insights/panels/nope").status_code == 404
    assert staff_client(staff["admin"]).get("/api/v1/insights/panels/cases_gender").status_code == 403


def test_people_without_statistics_consent_are_left_out_everywhere(make_case, staff, staff_client):
    make_case(given_name="Included", gender="Feminine")
    make_case(given_name="Refused", gender="Masculine", consent=False)
    revoked = make_case(given_name="Revoked", gender="TransgenderFeminine")
    # Revoked through the case service, as staff do it: the figures change as the revocation commits.
    case_services.revoke_consent(staff["sup"], Consent.objects.get(case=revoked, kind=ConsentKind.STATISTICS))

    table = services.panel(staff["sup"], "cases_gender", FILTERS).table
    assert [code for code, _l, _c in table.rows] == ["Feminine"]
    client = staff_client(staff["sup"])
    person_csv = _csv(client.get("/staff/insights/exports/htcds/person.csv"))
    assert "Included" in person_csv and "Refused" not in person_csv and "Revoked" not in person_csv
    form = json.loads(b"".join(client.get("/staff/insights/exports/htcds.json").streaming_content))
    assert len(form["person"]) == 1 and len(form["victim"]) == 1
    ctdc = _csv(client.get("/staff/insights/exports/ctdc.csv")).strip().splitlines()
    assert len(ctdc) == 2  # header + the consenting case


def test_supervisors_export_only_their_agency(make_case, staff, staff_client, other_agency):
    make_case(given_name="Mine")
    make_case(given_name="Theirs", case_agency=other_agency)
    body = _csv(staff_client(staff["sup"]).get("/staff/insights/exports/htcds/person.csv"))
    assert "Mine" in body and "Theirs" not in body
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).latest("seq")
    assert entry.object_id == "htcds:person" and entry.actor_id == staff["sup"].pk
    assert "Mine" not in entry.reason


def test_investigators_have_no_record_exports(make_user, police_agency, make_case, staff_client):
    investigator = make_user(Role.INVESTIGATOR, police_agency)
    assert staff_client(investigator).get("/staff/insights/exports/ctdc.csv").status_code == 403
