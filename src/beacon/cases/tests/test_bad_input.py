"""Bad input is a 4xx with a message a person (or a program) can act on, never a server error."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from beacon.accounts.models import ApiToken
from beacon.cases.models import Attachment, Case
from beacon.tips.tests.test_photo_budget import _png_declaring

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def _api(user) -> Client:
    _token, raw = ApiToken.issue(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)


@pytest.mark.parametrize("size", [(30_000, 30_000), (8_000, 8_000)])
def test_a_decompression_bomb_attachment_is_refused_with_a_message(case, staff, staff_client, size):
    client = staff_client(staff["cw"])
    client.raise_request_exception = False
    upload = SimpleUploadedFile("scan.png", _png_declaring(*size), content_type="image/png")
    response = client.post(f"/staff/cases/{case.public_id}/attachments/", {"file": upload})
    assert response.status_code in (200, 302, 400), response.status_code
    assert not Attachment.objects.exists()
    page = client.get(f"/staff/cases/{case.public_id}/").content.decode() if response.status_code == 302 else ""
    assert "too many pixels" in response.content.decode() + page


def test_a_lone_surrogate_in_a_name_is_a_400(staff, ref):
    body = '{"given_name": "Ana\\ud800", "languages": ["es"]}'
    response = _api(staff["cw"]).post("/api/v1/cases", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"] == "Cannot parse request body"
    assert not Case.objects.exists()


@pytest.mark.parametrize("field", ["estimated_age", "age_when_trafficked"])
@pytest.mark.parametrize("value", [-1, 131, 10**9])
def test_an_age_out_of_range_is_a_422(staff, ref, field, value):
    body = json.dumps({"given_name": "Ana", field: value})
    response = _api(staff["cw"]).post("/api/v1/cases", body, content_type="application/json")
    assert response.status_code == 422 and "detail" in response.json()
    assert not Case.objects.exists()


def test_a_huge_page_number_is_a_4xx_on_the_api_and_the_list(staff, staff_client, ref):
    response = _api(staff["cw"]).get("/api/v1/cases", {"page": 10**30})
    assert response.status_code == 422 and "detail" in response.json()
    page = staff_client(staff["cw"])
    page.raise_request_exception = False
    listing = page.get("/staff/cases/", {"page": 10**30})
    assert listing.status_code in (200, 400)


def test_multipart_without_a_boundary_is_a_400(case, staff, staff_client):
    api = _api(staff["cw"])
    response = api.post("/api/v1/cases", b"--x\r\n", content_type="multipart/form-data")
    assert 400 <= response.status_code < 500
    page = staff_client(staff["cw"])
    page.raise_request_exception = False
    form = page.post(f"/staff/cases/{case.public_id}/attachments/", b"--x\r\n", content_type="multipart/form-data")
    assert form.status_code == 400 and "nothing was saved" in form.content.decode()
    public = Client(raise_request_exception=False).post("/en/report/", b"--x\r\n", content_type="multipart/form-data")
    assert public.status_code == 400 and "nothing was saved" in public.content.decode()
