"""The API takes only codes from their lists and texts within their lengths (422 otherwise); the
database refuses codes outside the static lists; `beacon check_codes` reports rows that slipped in."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client

from beacon.accounts.models import ApiToken
from beacon.cases.models import Case, Consent

pytestmark = pytest.mark.django_db


def _api(user) -> Client:
    _token, raw = ApiToken.issue(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)


def _send(api: Client, method: str, path: str, body: object):
    return getattr(api, method)(path, json.dumps(body), content_type="application/json")


def test_patch_status_outside_the_list_is_a_422_and_nothing_changes(case, staff):
    response = _send(_api(staff["cw"]), "patch", f"/api/v1/cases/{case.public_id}", {"version": 1, "status": "pwned"})
    assert response.status_code == 422 and "detail" in response.json()
    case.refresh_from_db()
    assert case.status == "Active" and case.version == 1


@pytest.mark.parametrize(
    "field",
    [
        "trafficking_status",
        "trafficking_status_decided_by",
        "polaris_type",
        "industry",
        "hhs_letter",
        "referral_source",
    ],
)
def test_every_coded_patch_field_refuses_an_unknown_code(case, staff, field):
    response = _send(_api(staff["cw"]), "patch", f"/api/v1/cases/{case.public_id}", {"version": 1, field: "pwned"})
    assert response.status_code == 422


def test_any_consent_kind_is_no_longer_saved(case, staff):
    api = _api(staff["cw"])
    before = Consent.objects.count()
    assert _send(api, "post", f"/api/v1/cases/{case.public_id}/consents", {"kind": "anything"}).status_code == 422
    assert (
        _send(api, "post", f"/api/v1/cases/{case.public_id}/consents", {"kind": "services", "method": "x"}).status_code
        == 422
    )
    assert Consent.objects.count() == before
    ok = _send(api, "post", f"/api/v1/cases/{case.public_id}/consents", {"kind": "services"})
    assert ok.status_code == 201


def test_a_json_array_creates_no_case(staff, ref):
    response = _send(_api(staff["cw"]), "post", "/api/v1/cases", [{"given_name": "Ana"}])
    assert response.status_code == 400 and "detail" in response.json()
    assert not Case.objects.exists()


@pytest.mark.parametrize("field", ["given_name", "family_name", "summary", "address", "immigration_status"])
def test_a_200000_character_text_is_a_422(staff, ref, field):
    response = _send(_api(staff["cw"]), "post", "/api/v1/cases", {field: "A" * 200_000})
    assert response.status_code == 422
    assert not Case.objects.exists()


def test_unknown_exploitation_types_in_a_new_case_are_a_422(staff, ref):
    response = _send(_api(staff["cw"]), "post", "/api/v1/cases", {"exploitation_types": ["ForcedLabour", "pwned"]})
    assert response.status_code == 422


def test_the_schema_publishes_the_code_lists_and_lengths(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    status = schemas["CasePatch"]["properties"]["status"]
    assert "Closed" in json.dumps(status) and "enum" in json.dumps(status)
    assert "enum" in json.dumps(schemas["ConsentIn"]["properties"]["kind"])
    assert schemas["CaseIn"]["properties"]["given_name"]["maxLength"] == 100


def test_the_database_refuses_a_status_outside_the_list(case):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status="pwned")
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.filter(case=case).update(kind="anything")


def test_check_codes_reports_rows_outside_their_lists(case, capsys):
    call_command("check_codes")
    assert "Every coded field holds a value from its code list" in capsys.readouterr().out
    # Vocabulary-coded fields have no database check (the lists are data files): the command finds them.
    Case.objects.filter(pk=case.pk).update(trafficking_status="pwned", methods_of_control=["DebtBondage", "nonsense"])
    with pytest.raises(CommandError, match="2 stored value"):
        call_command("check_codes")
    out = capsys.readouterr().out
    assert f"cases.case {case.public_id}: trafficking_status = 'pwned'" in out
    assert "methods_of_control = 'nonsense'" in out and "Ana" not in out
