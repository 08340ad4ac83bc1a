"""/api/v1/screenings: run and fetch screenings; JSON errors for bad input and refused access."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from beacon.accounts.models import ApiToken
from beacon.audit.models import AuditEntry
from beacon.screening.models import Screening
from beacon.screening.tests.conftest import SAFE_TO_TALK, TRAFFICKING

pytestmark = pytest.mark.django_db
URL = "/api/v1/screenings"


def _client(user) -> Client:
    _token, raw = ApiToken.issue(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _post(client: Client, body: dict, **headers):
    return client.post(URL, json.dumps(body), content_type="application/json", **headers)


def test_post_runs_and_stores_a_screening(staff, case):
    response = _post(
        _client(staff["cw"]),
        {
            "case": case.public_id,
            "instrument": "ilo-2009",
            "population": "adult-labour",
            "safety": SAFE_TO_TALK,
            "answers": TRAFFICKING,
            "foreign_national": True,
            "notes": "Fictional.",
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["determination"] == "trafficking" and data["status"] == "completed"
    assert data["instrument"] == "ilo-2009" and data["instrument_version"]
    assert data["answers"] == TRAFFICKING and data["foreign_national"] is True
    assert data["result"]["determination"] == "trafficking" and data["reproducible"] is True
    assert data["case"] == case.public_id and data["notes"] == "Fictional."
    assert data["safety"]["cleared"] is True and data["safety"]["interpreter"] == "independent"
    assert Screening.objects.get(public_id=data["public_id"]).determination == "trafficking"


def test_the_same_idempotency_key_returns_the_first_screening(staff, case):
    client = _client(staff["cw"])
    body = {
        "case": case.public_id,
        "instrument": "ilo-2009",
        "population": "adult-labour",
        "safety": SAFE_TO_TALK,
        "answers": {},
        "idempotency_key": "abc-1",
    }
    first = _post(client, body)
    second = _post(client, body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["public_id"] == second.json()["public_id"]
    assert Screening.objects.count() == 1


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"instrument": "nope"}, "unknown instrument 'nope'"),
        ({"population": "adult-sexual"}, "population 'adult-sexual' is not supported"),
        ({"answers": {"XX01": "yes"}}, "unknown item IDs"),
        ({"answers": {"DR01": "maybe"}}, "invalid answers"),
    ],
)
def test_bad_input_is_a_422_with_the_message(staff, case, change, fragment):
    body = {
        "case": case.public_id,
        "instrument": "ilo-2009",
        "population": "adult-labour",
        "safety": SAFE_TO_TALK,
        "answers": {},
        **change,
    }
    response = _post(_client(staff["cw"]), body)
    assert response.status_code == 422
    assert fragment in response.json()["detail"]
    assert not Screening.objects.exists()


def test_a_screening_needs_a_case_or_tip(staff):
    response = _post(
        _client(staff["cw"]), {"instrument": "ilo-2009", "population": "adult-labour", "safety": SAFE_TO_TALK}
    )
    assert response.status_code == 422 and "case or a tip" in response.json()["detail"]


def test_without_a_token_the_api_answers_401(case):
    response = Client().post(URL, "{}", content_type="application/json")
    assert response.status_code == 401 and "detail" in response.json()
    assert Client().get(URL).status_code == 401


def test_a_role_without_screening_gets_403(staff, case):
    response = _post(
        _client(staff["analyst"]),
        {"case": case.public_id, "instrument": "ilo-2009", "population": "adult-labour", "safety": SAFE_TO_TALK},
    )
    assert response.status_code == 403 and response.json() == {"detail": "You are not allowed to do this."}
    response = _post(
        _client(staff["police"]),
        {"case": case.public_id, "instrument": "ilo-2009", "population": "adult-labour", "safety": SAFE_TO_TALK},
    )
    assert response.status_code == 404  # the case is not shared with the police unit
    assert not Screening.objects.exists()


def test_a_role_without_screening_is_refused_on_tips_too(staff, tip):
    from beacon.access.policy import POLICY
    from beacon.accounts.roles import Role

    assert "screening" not in POLICY[Role.ANALYST]
    response = _post(
        _client(staff["analyst"]),
        {"tip": tip.public_id, "instrument": "ilo-2009", "population": "adult-labour", "safety": SAFE_TO_TALK},
    )
    assert response.status_code == 403
    sup = staff["sup"]
    response = _post(
        _client(sup),
        {"tip": tip.public_id, "instrument": "ilo-2009", "population": "adult-labour", "safety": SAFE_TO_TALK},
    )
    assert response.status_code == 201


def test_the_list_is_scoped_to_what_the_user_may_see(staff, case, other_case, screen):
    mine = screen(staff["cw"], case=case)
    theirs = screen(staff["other_cw"], case=other_case)
    ids = [row["public_id"] for row in _client(staff["cw"]).get(URL).json()]
    assert ids == [mine.public_id]
    ids = [row["public_id"] for row in _client(staff["other_sup"]).get(URL).json()]
    assert ids == [theirs.public_id]
    rows = _client(staff["cw"]).get(f"{URL}?case={case.public_id}&status=completed").json()
    assert rows[0]["determination"] == "trafficking" and "answers" not in rows[0]


def test_get_one_returns_the_screening_and_audits_the_read(staff, case, screen):
    screening = screen(staff["cw"], case=case)
    response = _client(staff["cw"]).get(f"{URL}/{screening.public_id}")
    assert response.status_code == 200 and response.json()["answers"] == TRAFFICKING
    entry = AuditEntry.objects.filter(action="view", object_id=screening.public_id).get()
    assert entry.object_type == "screening.screening" and entry.reason == "api"
    assert _client(staff["other_cw"]).get(f"{URL}/{screening.public_id}").status_code == 404


def test_the_instruments_are_listed(staff):
    rows = _client(staff["cw"]).get(f"{URL}/instruments").json()
    ids = {row["id"] for row in rows}
    assert {"ilo-2009", "us-legal-elements", "community-red-flags"} <= ids


def test_the_api_is_documented_in_openapi(staff):
    schema = _client(staff["cw"]).get("/api/v1/openapi.json").json()
    assert "/api/v1/screenings" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/screenings"]
    assert "/api/v1/screenings/{public_id}" in schema["paths"]


def test_a_screening_without_the_safety_step_is_refused(staff, case):
    body = {"case": case.public_id, "instrument": "ilo-2009", "population": "adult-labour", "answers": TRAFFICKING}
    response = _post(_client(staff["cw"]), body)
    assert response.status_code == 422 and "safety" in json.dumps(response.json()["detail"])
    assert not Screening.objects.exists()


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"interpreter": "companion"}, "never the person who brought them"),
        ({"confidentiality_explained": False}, "limits of confidentiality"),
        ({"agreed_to_continue": False}, "agrees to continue"),
    ],
)
def test_a_safety_step_not_fully_confirmed_gives_no_result(staff, case, change, fragment):
    body = {
        "case": case.public_id,
        "instrument": "ilo-2009",
        "population": "adult-labour",
        "safety": {**SAFE_TO_TALK, **change},
        "answers": TRAFFICKING,
    }
    response = _post(_client(staff["cw"]), body)
    assert response.status_code == 422 and fragment in response.json()["detail"]
    assert not Screening.objects.exists()


def test_not_safe_to_talk_is_recorded_and_no_answer_is_kept(staff, case):
    client = _client(staff["cw"])
    base = {"case": case.public_id, "instrument": "ilo-2009", "population": "adult-labour"}
    refused = _post(client, {**base, "safety": {"safe_to_talk": False}, "answers": TRAFFICKING})
    assert refused.status_code == 422 and "not safe to talk" in refused.json()["detail"]
    assert not Screening.objects.exists()
    response = _post(client, {**base, "safety": {"safe_to_talk": False}})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "in_progress" and data["answers"] == {} and data["result"] is None
    assert data["safety"]["safe_to_talk"] is False and data["safety"]["cleared"] is False
    assert data["safety"]["recorded_at"]
