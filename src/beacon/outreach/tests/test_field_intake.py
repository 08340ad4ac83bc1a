"""Field intake: HTCDS survey submissions from KoboToolbox or ODK become one tip each in the
collecting agency's queue, never a second one on a retry, and never half a record."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from beacon.accounts.models import ApiToken
from beacon.accounts.roles import Role
from beacon.audit.models import AuditEntry
from beacon.outreach.models import FieldSubmission
from beacon.reference.models import County
from beacon.tips.models import Channel, Tip, TipIdentifier

URL = "/api/v1/field/submissions"


def kobo_submission(uuid: str = "0b1c8f5e-7d2a-4c4e-9a53-6f1f2f6c9a10", **answers: object) -> dict:
    """What a KoboToolbox REST service posts for one submission of htcds_xlsform."""
    body: dict[str, object] = {
        "_id": 48151623,
        "formhub/uuid": "e2b1d5c3a4f64a0f9d7c1b2a3e4f5a6b",
        "start": "2026-11-30T10:02:11.000-06:00",
        "end": "2026-11-30T10:21:40.000-06:00",
        "con_Consent": "yes",
        "prs_First_Name": "Marisol",
        "prs_Second_Name": "Quispe",
        "prs_Birthdate": "1998-04-02",
        "prs_Gender": "Feminine",
        "prs_Citizenship": "PE",
        "prs_MobilePhone": "(217) 555-0142",
        "prs_MailingCity": "Champaign",
        "prs_MailingState": "IL",
        "vic_MethodOfRecruitment": "ThroughAnOnlineAdvertisement",
        "vic_Methods_of_Control": "DebtBondage TakesEarnings",
        "vic_TypeOfExploitation": "ForcedLabour",
        "vic_ForcedLabourIndustry": "A_AgricultureForestryAndFishing",
        "vic_LocationOfExploitation": "Champaign County",
        "cas_IncomingReferralDetails": "Met at the mobile clinic; owes the crew leader for the trip.",
        "__version__": "vSmt4GQA3C9uBMLPEVfgND",
        "meta/instanceID": f"uuid:{uuid}",
        "_xform_id_string": "htcds_xlsform",
        "_uuid": uuid,
        "_attachments": [],
        "_status": "submitted_via_web",
        "_geolocation": [None, None],
        "_submission_time": "2026-11-30T16:22:03",
        "_tags": [],
        "_notes": [],
        "_validation_status": {},
        "_submitted_by": None,
    }
    body.update(answers)
    return body


@pytest.fixture
def outreach_token(make_user, agency):
    County.objects.get_or_create(fips="17019", defaults={"name": "Champaign"})
    user = make_user(Role.HOTLINE, agency)
    _, raw = ApiToken.issue(user, "KoboToolbox REST service")
    return raw


def _post(token: str | None, body: object, **query: str):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    url = URL + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return Client().post(url, json.dumps(body), content_type="application/json", **headers)


@pytest.mark.django_db
def test_a_kobo_submission_becomes_one_tip_in_the_agency_queue_even_when_posted_twice(outreach_token, agency):
    first = _post(outreach_token, kobo_submission())
    assert first.status_code == 201, first.content
    again = _post(outreach_token, kobo_submission())
    assert again.status_code == 200 and again.json()["tip"] == first.json()["tip"]
    assert Tip.objects.count() == 1 and FieldSubmission.objects.count() == 1
    tip = Tip.objects.get()
    assert tip.channel == Channel.FIELD and tip.agency == agency  # the agency's own intake queue
    assert tip.case is None  # reviewed first, never a case straight away
    assert tip.exploitation_types == ["ForcedLabour"]
    assert tip.county_id == "17019" and tip.child_involved == "no"
    assert tip.people["names"] == ["Marisol Quispe"] and tip.people["phones"] == ["(217) 555-0142"]
    assert "Methods of control: Debt bondage; Takes earnings" in tip.narrative
    assert "owes the crew leader" in tip.narrative
    assert TipIdentifier.objects.filter(tip=tip, kind="phone").exists()  # linked like any other tip
    submission = FieldSubmission.objects.get()
    assert submission.payload["prs_First_Name"] == "Marisol"  # the whole submission, encrypted
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM outreach_fieldsubmission")
        assert "Marisol" not in cursor.fetchone()[0]
    assert AuditEntry.objects.filter(object_type="outreach.fieldsubmission").count() == 1


@pytest.mark.django_db
def test_unknown_fields_and_answers_outside_the_picklists_are_reported_and_kept(outreach_token):
    body = kobo_submission(prs_Gender="woman", local_worksite_code="B-17")
    response = _post(outreach_token, body)
    assert response.status_code == 201, response.content
    warnings = {w["field"]: w["message"] for w in response.json()["warnings"]}
    assert "not a HTCDS code" in warnings["prs_Gender"]
    assert "not a question of the HTCDS survey" in warnings["local_worksite_code"]
    submission = FieldSubmission.objects.get()
    assert submission.unmapped_fields == ["local_worksite_code", "prs_Gender"]
    assert submission.payload["local_worksite_code"] == "B-17"
    assert "Gender: woman" in submission.tip.narrative


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answers", "field", "words"),
    [
        ({"prs_Birthdate": "02/04/1998"}, "prs_Birthdate", "not a date"),
        ({"prs_Birthdate": "2999-01-01"}, "prs_Birthdate", "in the future"),
        ({"prs_First_Name": ["Marisol"]}, "prs_First_Name", "expected text"),
        ({"con_Consent": "no"}, "con_Consent", "did not consent"),
        ({"_uuid": "", "meta/instanceID": ""}, "_uuid", "no UUID"),
    ],
)
def test_bad_submissions_are_refused_with_each_problem_named_and_nothing_stored(outreach_token, answers, field, words):
    response = _post(outreach_token, kobo_submission(**answers))
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert any(p["field"] == field and words in p["message"] for p in problems), problems
    assert not Tip.objects.exists() and not FieldSubmission.objects.exists()


@pytest.mark.django_db
def test_a_bad_token_a_non_object_body_or_a_role_without_the_grant_store_nothing(outreach_token, make_user, agency):
    assert _post("bcn_not-a-token", kobo_submission()).status_code == 401
    assert _post(outreach_token, [kobo_submission()]).status_code == 422
    assert (
        Client()
        .post(URL, b"{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {outreach_token}")
        .status_code
        == 422
    )
    _, analyst = ApiToken.issue(make_user(Role.ANALYST, agency), "not intake")
    assert _post(analyst, kobo_submission()).status_code == 403
    assert not Tip.objects.exists() and not FieldSubmission.objects.exists()


@pytest.mark.django_db
def test_odk_central_json_with_nested_groups_is_read_the_same_way(outreach_token):
    body = {
        "__id": "uuid:5d0c3b86-1111-4a2b-8c3d-222233334444",
        "con_Consent": "yes",
        "person": {"prs_First_Name": "Iryna", "prs_Email": "iryna@example.org"},
        "victim": {"vic_TypeOfExploitation": "Servitude"},
        "meta": {"instanceID": "uuid:5d0c3b86-1111-4a2b-8c3d-222233334444"},
    }
    response = _post(outreach_token, body, source="odk")
    assert response.status_code == 201, response.content
    submission = FieldSubmission.objects.get()
    assert submission.submission_uuid == "5d0c3b86-1111-4a2b-8c3d-222233334444" and submission.source == "odk"
    assert submission.tip.people["emails"] == ["iryna@example.org"]
    assert submission.tip.exploitation_types == ["Servitude"]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_retries_of_one_hook_make_one_tip(outreach_token):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    barrier = threading.Barrier(4)
    codes: list[int] = []

    def post() -> None:
        barrier.wait()
        codes.append(_post(outreach_token, kobo_submission()).status_code)
        connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200, 200, 200, 201]
    assert Tip.objects.count() == 1 and FieldSubmission.objects.count() == 1


@pytest.mark.django_db
def test_an_exported_csv_imports_each_row_once_and_names_the_rows_it_cannot(outreach_token, tmp_path, capsys):
    from django.core.management import call_command

    user = ApiToken.objects.get().user
    header = "start;end;con_Consent;group_person/prs_First_Name;prs_Birthdate;vic_TypeOfExploitation;_uuid\n"
    rows = (
        "2026-11-30;2026-11-30;yes;Ana;2010-05-01;SexualExploitation;a1\n"
        "2026-11-30;2026-11-30;yes;Luz;31/12/1990;ForcedLabour;a2\n"
        "2026-11-30;2026-11-30;yes;Rosa;1990-12-31;ForcedLabour;a3\n"
    )
    export = tmp_path / "htcds_xlsform.csv"
    export.write_text(header + rows, encoding="utf-8")
    call_command("field_import", str(export), "--user", user.username)
    call_command("field_import", str(export), "--user", user.username)
    out, err = capsys.readouterr()
    assert "2 new tips, 0 already imported, 1 rows not imported" in out
    assert "0 new tips, 2 already imported, 1 rows not imported" in out
    assert "line 3: not imported: prs_Birthdate: not a date" in err
    assert sorted(FieldSubmission.objects.values_list("submission_uuid", flat=True)) == ["a1", "a3"]
    child = FieldSubmission.objects.get(submission_uuid="a1").tip
    assert child.child_involved == "yes" and child.people["names"] == ["Ana"]
