"""The privacy-budget ledger in the database and the releases published from it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from beacon.access.policy import AccessDenied
from beacon.audit.models import AuditAction, AuditEntry
from beacon.insights import services
from beacon.insights.ledger import DatabaseLedger
from beacon.insights.models import PrivacyBudget, PrivacyBudgetEntry, PublishedRelease, ReleaseKind
from beacon.insights.privacy.dp import BudgetExceeded, BudgetLedger
from beacon.insights.selectors import Filters

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
FILTERS = Filters(start=TODAY - dt.timedelta(days=400), end=TODAY)


def test_the_database_ledger_implements_the_protocol_and_refuses_over_budget(staff):
    ledger = DatabaseLedger(actor=staff["analyst"])
    assert isinstance(ledger, BudgetLedger)
    first = ledger.charge("s", "analyst", "release A", 0.6, 1.0)
    assert first.spent == pytest.approx(0.6) and first.remaining == pytest.approx(0.4)
    with pytest.raises(BudgetExceeded) as refused:
        ledger.charge("s", "analyst", "release B", 0.5, 1.0)
    assert refused.value.remaining == pytest.approx(0.4)
    assert PrivacyBudgetEntry.objects.count() == 1  # the refusal recorded nothing
    ledger.charge("s", "analyst", "release C", 0.4, 1.0)  # exactly what is left still fits
    assert ledger.spent("s") == pytest.approx(1.0)
    entry = PrivacyBudgetEntry.objects.latest("pk")
    assert (entry.who, entry.what, entry.actor) == ("analyst", "release C", staff["analyst"])
    assert PrivacyBudget.objects.get(scope="s").total_epsilon == 1.0


def test_a_dp_release_spends_budget_and_is_shown_on_the_public_page(many_cases, staff, client):
    many_cases(15)
    release = services.publish_dp_release(
        staff["analyst"], FILTERS, epsilon=1.0, title="Test release", total_budget=2.0
    )
    assert release.kind == ReleaseKind.DP and release.ledger_entry.epsilon == 1.0
    assert [t["key"] for t in release.content["tables"]] == ["gender", "age", "citizenship"]
    # Fixed categories: every gender value name is present, whether or not it occurs in the data.
    assert "NonConforming" in release.content["tables"][0]["categories"]
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, object_id=release.public_id).exists()

    page = client.get("/en/statistics/")
    assert page.status_code == 200
    assert "Test release" in page.content.decode()


def test_a_release_over_budget_is_refused_and_publishes_nothing(many_cases, staff):
    many_cases(3)
    services.publish_dp_release(staff["analyst"], FILTERS, epsilon=0.8, title="First", total_budget=1.0)
    with pytest.raises(BudgetExceeded):
        services.publish_dp_release(staff["analyst"], FILTERS, epsilon=0.5, title="Second", total_budget=1.0)
    assert PublishedRelease.objects.count() == 1
    assert PrivacyBudgetEntry.objects.count() == 1


def test_only_statewide_exporters_publish(make_case, staff):
    make_case()
    for user in (staff["sup"], staff["cw"], staff["admin"]):
        with pytest.raises(AccessDenied):
            services.publish_dp_release(user, FILTERS, epsilon=0.1, title="x")


def test_a_synthetic_release_reports_marginal_errors(many_cases, staff):
    from beacon.insights.services import MIN_SYNTHETIC_RECORDS

    with pytest.raises(ValueError, match="at least"):
        services.publish_synthetic_release(staff["analyst"], FILTERS, title="Too small")
    many_cases(MIN_SYNTHETIC_RECORDS // 2, age=25)
    many_cases(MIN_SYNTHETIC_RECORDS // 2, age=40, gender="Masculine", exploitation_types=["SexualExploitation"])
    release = services.publish_synthetic_release(
        staff["analyst"], FILTERS, epsilon=4.0, title="Synthetic", total_budget=10.0
    )
    report = release.content["report"]
    assert set(report["marginal_errors"]) == {"1", "2", "3"}
    assert release.content["columns"][0] == "yearOfRegistration"
    assert release.ledger_entry.epsilon == 4.0


def test_the_releases_screen_refuses_an_over_budget_request_with_a_message(many_cases, staff, staff_client):
    many_cases(3)
    PrivacyBudget.objects.create(scope=services.STATEWIDE_BUDGET_SCOPE, total_epsilon=0.5)
    client = staff_client(staff["analyst"])
    response = client.post(
        "/staff/insights/releases/",
        {"title": "Too much", "kind": "dp", "start": "2025-01-01", "end": TODAY.isoformat(), "epsilon": "1.0"},
    )
    assert response.status_code == 200
    assert "Not enough privacy budget left" in response.content.decode()
    assert 'value="Too much"' in response.content.decode()
    assert not PublishedRelease.objects.exists()
    assert staff_client(staff["sup"]).get("/staff/insights/releases/").status_code == 403


def test_the_public_statistics_page_shows_translated_titles_and_labels(many_cases, staff, client):
    many_cases(15)
    services.publish_dp_release(staff["analyst"], FILTERS, epsilon=1.0, title="Test release", total_budget=2.0)
    page = client.get("/es/statistics/")
    assert page.status_code == 200
    assert page.templates[0].name == "portal/statistics.html"
    html = page.content.decode()
    for title in (
        "Personas por género",
        "Personas por grupo de edad al momento de la admisión",
        "Personas por región de ciudadanía (M49 de la ONU)",
    ):
        assert title in html
    assert "Persons by gender" not in html and "Persons by region" not in html
    for label in (
        "Femenino",
        "Transgénero masculino",
        "No especificado o desconocido",
        "Desconocido",
        "América del Sur",
        "48+",
    ):
        assert label in html
    for code in (
        "Feminine",
        "Masculine",
        "TransgenderFeminine",
        "TransgenderMasculine",
        "NonConforming",
        "NonSpecifiedUnknown",
        ">unknown<",
        "Western Europe",
    ):
        assert code not in html
