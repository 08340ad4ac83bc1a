"""A versioned case edit refreshes the dashboard facts at once (no wait for the periodic rebuild)."""

import pytest

from beacon.accounts.roles import Role
from beacon.cases.models import Case
from beacon.cases.services import open_case, update_case
from beacon.insights.models import CaseFact


@pytest.mark.django_db
def test_versioned_update_refreshes_case_facts(agency, make_user):
    supervisor = make_user(Role.SUPERVISOR, agency)
    case = open_case(supervisor, given_name="Fictional", polaris_type="construction")
    case = Case.objects.get(pk=case.pk)
    update_case(supervisor, case, version=case.version, polaris_type="landscaping")
    assert CaseFact.objects.get(case_id=case.pk).polaris_type == "landscaping"


@pytest.mark.django_db
def test_ovc_report_counts_referral_sources(agency, make_user):
    import datetime as dt

    from django.utils import timezone

    from beacon.insights.exports import client_records
    from beacon.insights.formats.federal import Period

    supervisor = make_user(Role.SUPERVISOR, agency)
    open_case(supervisor, given_name="One", referral_source="federal_le")
    open_case(supervisor, given_name="Two")
    today = timezone.now().date()
    records = client_records(Case.objects.all(), Period(today - dt.timedelta(days=1), today + dt.timedelta(days=1)))
    assert sorted(r.referral_source or "unknown" for r in records) == ["federal_le", "unknown"]


@pytest.mark.django_db
def test_a_case_opened_from_a_tip_is_referred_by_the_tip_line(agency, make_user):
    from beacon.tips import services as tips

    supervisor = make_user(Role.SUPERVISOR, agency)
    tip = tips.submit_tip(tips.TipInput(narrative="three"), nonce="n" * 16, idempotency_key="three").tip
    case = tips.convert_to_case(supervisor, tip, tips.Conversion(owner_id=supervisor.pk, version=tip.version))
    assert case.referral_source == "hotline" and [t.public_id for t in case.tips.all()] == [tip.public_id]


@pytest.mark.django_db
def test_closure_summary_counts_living_situation_and_hhs_letters(agency, make_user):
    from beacon.insights.exports import closure_records
    from beacon.insights.formats.federal import closure_summary

    supervisor = make_user(Role.SUPERVISOR, agency)
    case = open_case(supervisor, given_name="Four")
    case = Case.objects.get(pk=case.pk)
    update_case(
        supervisor,
        case,
        version=case.version,
        status="Closed",
        closure_reason="Services completed",
        living_situation_at_closure="Own apartment",
        hhs_letter="certification",
    )
    import datetime as dt

    from django.utils import timezone

    from beacon.insights.formats.federal import Period

    today = timezone.now().date()
    period = Period(today - dt.timedelta(days=1), today + dt.timedelta(days=1))
    summary = closure_summary(closure_records(Case.objects.all(), period))
    assert summary.by_living_situation == {"Own apartment": 1}
    assert summary.by_hhs_letter == {"certification": 1}
