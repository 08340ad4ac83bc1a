"""The directory: public list for the portal, matching with explanations, CSV round trips, screens, API."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from beacon.access.policy import AccessDenied
from beacon.accounts.models import ApiToken
from beacon.accounts.roles import Role
from beacon.directory import selectors, services
from beacon.directory.models import Provider

pytestmark = pytest.mark.django_db


def names(qs) -> set[str]:
    return {p.name for p in qs}


def test_public_providers_returns_only_public_entries_with_filters(providers, django_assert_max_num_queries):
    assert "Private D" not in names(
        selectors.public_providers(county_fips=None, city=None, language=None, service=None)
    )
    cook_shelter = selectors.public_providers(county_fips="17031", city=None, language=None, service="shelter")
    assert names(cook_shelter) == {"Shelter A", "Full E"}
    assert names(
        selectors.public_providers(county_fips="17201", city=None, language=None, service="legal_immigration")
    ) == {"Legal C"}  # statewide
    assert names(selectors.public_providers(county_fips=None, city="chicago", language="es", service=None)) == {
        "Shelter A",
        "Full E",
    }
    with django_assert_max_num_queries(4):
        rows = list(selectors.public_providers(county_fips=None, city=None, language=None, service=None))
        for p in rows:
            list(p.services.all()), list(p.counties.all()), list(p.languages.all())


def test_matching_ranks_and_explains(providers, make_user, agency):
    user = make_user(Role.CASEWORKER, agency)
    results = selectors.match_providers(
        user, service="shelter", county_fips="17031", language="es", populations=["women"]
    )
    order = [m.provider.name for m in results]
    assert order[0] == "Shelter A"
    assert order[-1] == "Full E"  # not accepting new clients
    best = results[0]
    assert any("county" in r for r in best.reasons) and any("language" in r for r in best.reasons)
    assert any("not accepting" in r for r in results[-1].reasons)
    assert "Legal C" not in order


CSV_OK = """name,services,counties,languages,populations,accepting_new_clients,capacity,city,is_public,email
New Shelter,shelter:emergency;case_management,Cook;17043,en;es,women;adults,yes,4,Chicago,yes,a@example.org
"""


def test_csv_import_creates_and_export_round_trips(admin, ref):
    result = services.import_csv(admin, CSV_OK)
    assert result.ok and result.created == 1
    provider = Provider.objects.get(name="New Shelter")
    assert {(s.category, s.subtype) for s in provider.services.all()} == {
        ("shelter", "emergency"),
        ("case_management", ""),
    }
    assert {c.fips for c in provider.counties.all()} == {"17031", "17043"}
    exported = services.export_csv(selectors.providers(admin))
    again = services.import_csv(admin, exported)
    assert again.ok and again.updated == 1 and again.created == 0


def test_csv_bad_rows_name_their_line_and_nothing_is_imported(admin, ref):
    text = (
        CSV_OK
        + "Bad One,teleportation,Atlantis,xx,aliens,maybe,-1,Chicago,yes,not-an-email\n"
        + "Good Two,legal_civil,,,,,,Springfield,no,\n"
    )
    result = services.import_csv(admin, text)
    assert not result.ok
    assert [line for line, _p in result.errors] == [3]
    problem = result.errors[0][1]
    for fragment in ("teleportation", "Atlantis", "xx", "aliens", "yes or no", "whole number", "e-mail"):
        assert fragment in problem
    assert not Provider.objects.exists()


def test_csv_missing_columns(admin, ref):
    result = services.import_csv(admin, "title\nx\n")
    assert result.errors[0][0] == 1


def test_caseworkers_cannot_import_or_edit(make_user, agency, providers):
    cw = make_user(Role.CASEWORKER, agency)
    with pytest.raises(AccessDenied):
        services.import_csv(cw, CSV_OK)
    with pytest.raises(AccessDenied):
        services.update_provider(cw, providers["shelter_cook_es"], version=1, name="x")


def test_admin_edits_only_own_agency_entries_with_version_check(admin, providers, other_agency):
    mine = providers["shelter_cook_es"]
    services.update_provider(admin, mine, version=1, capacity=5)
    with pytest.raises(services.EditConflict):
        services.update_provider(admin, Provider.objects.get(pk=mine.pk), version=1, capacity=6)
    theirs = Provider.objects.create(name="Theirs", agency=other_agency)
    with pytest.raises(AccessDenied):
        services.update_provider(admin, theirs, version=1, capacity=1)


def test_directory_screens(admin, providers, staff_client, ref):
    client = staff_client(admin)
    assert "Shelter A" in client.get(reverse("directory:list"), {"service": "shelter"}).content.decode()
    body = client.get(reverse("directory:match"), {"service": "shelter", "county": "17031"}).content.decode()
    assert "Shelter A" in body and "serves the county" in body
    export = client.get(reverse("directory:export"))
    assert export["Content-Type"].startswith("text/csv") and "Shelter A" in export.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("d.csv", b"name,services\nX,nothing\n", content_type="text/csv")
    response = client.post(reverse("directory:import"), {"file": bad})
    assert "Line 2" in response.content.decode()
    response = client.post(
        reverse("directory:new"),
        {"name": "Made Here", "services": ["counseling"], "city": "Chicago", "accepting_new_clients": "on"},
    )
    assert response.status_code == 302 and Provider.objects.filter(name="Made Here", agency=admin.agency).exists()


def test_directory_api(admin, providers, client):
    _t, raw = ApiToken.issue(admin, "t")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    rows = client.get("/api/v1/directory/providers", {"service": "shelter", "county": "17031"}).json()
    assert {r["name"] for r in rows} == {"Shelter A", "Private D", "Full E"}
    ranked = client.get(
        "/api/v1/directory/match", {"service": "shelter", "county": "17031", "populations": "women"}
    ).json()
    assert ranked[0]["provider"]["name"] == "Shelter A" and ranked[0]["reasons"]
    bad = client.post(
        "/api/v1/directory/import", json.dumps({"csv": "name,services\nX,nothing\n"}), content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["line"] == 2


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_export_does_not_let_a_spreadsheet_formula_through(admin, ref, trigger):
    """A provider's text is written as text: a cell starting with a formula trigger gets a leading quote,
    and importing the export back restores the original text (trimmed, as every imported cell is)."""
    formula = f'{trigger}HYPERLINK("http://evil.example","call")'
    services.import_csv(admin, CSV_OK)
    Provider.objects.filter(name="New Shelter").update(hours=formula, phone="+1 312 555 0100")
    exported = services.export_csv(selectors.providers(admin))
    row = next(csv.DictReader(io.StringIO(exported)))
    assert row["hours"] == "'" + formula
    assert row["phone"] == "'+1 312 555 0100"
    assert services.import_csv(admin, exported).ok
    provider = Provider.objects.get(name="New Shelter")
    assert provider.hours == formula.strip() and provider.phone == "+1 312 555 0100"
