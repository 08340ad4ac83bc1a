"""The access matrix for cases, people, notes, attachments, consents and referrals."""

from __future__ import annotations

import pytest

from beacon.access.policy import AccessDenied, Action, can, scope_queryset
from beacon.audit.models import AuditAction, AuditEntry
from beacon.cases import selectors, services
from beacon.cases.models import Case, CaseNote, ConsentKind, Person, Referral, ReferralStatus

pytestmark = pytest.mark.django_db


def visible(user) -> set[str]:
    return set(scope_queryset(user, Action.VIEW, "case", Case.objects.all()).values_list("public_id", flat=True))


def test_owner_sees_own_case_and_colleague_without_ownership_does_not(case, staff):
    assert can(staff["cw"], Action.VIEW, "case", case)
    assert not can(staff["cw2"], Action.VIEW, "case", case)
    assert case.public_id in visible(staff["cw"])
    assert case.public_id not in visible(staff["cw2"])


def test_supervisor_sees_the_agency_caseload(case, staff):
    assert can(staff["sup"], Action.VIEW, "case", case)
    assert can(staff["sup"], Action.ASSIGN, "case", case)
    assert case.public_id in visible(staff["sup"])


@pytest.mark.parametrize("who", ["other_cw", "other_sup", "police", "analyst"])
def test_no_access_across_agencies_without_a_referral(case, staff, who):
    user = staff[who]
    assert not can(user, Action.VIEW, "case", case)
    assert not can(user, Action.VIEW, "person", case.person)
    assert case.public_id not in visible(user)


def test_consent_alone_grants_nothing(case, staff, other_agency):
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    assert not can(staff["other_cw"], Action.VIEW, "case", case)


def test_sent_but_unanswered_referral_grants_nothing(case, staff, other_agency):
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    services.send_referral(
        staff["cw"], case, to_agency=other_agency, service="legal_immigration", shared_fields=["name"]
    )
    assert not can(staff["other_cw"], Action.VIEW, "case", case)
    assert case.public_id not in visible(staff["other_cw"])


def test_accepted_referral_with_consent_shares_the_case(shared_case, staff):
    case, _referral = shared_case
    for who in ("other_cw", "other_sup"):
        assert can(staff[who], Action.VIEW, "case", case)
        assert case.public_id in visible(staff[who])
        assert case.person in scope_queryset(staff[who], Action.VIEW, "person", Person.objects.all())
    assert not can(staff["police"], Action.VIEW, "case", case)


def test_shared_scope_never_reaches_notes_or_attachments(shared_case, staff):
    case, _referral = shared_case
    note = services.add_note(staff["cw"], case, "Private note")
    assert not can(staff["other_cw"], Action.VIEW, "note", note)
    assert not scope_queryset(staff["other_cw"], Action.VIEW, "note", CaseNote.objects.all()).exists()
    with pytest.raises(AccessDenied):
        services.add_note(staff["other_cw"], case, "x")


def test_revoking_consent_removes_shared_access_at_once(shared_case, staff):
    case, referral = shared_case
    consent = referral.consent
    services.revoke_consent(staff["cw"], consent)
    assert not can(staff["other_cw"], Action.VIEW, "case", case)
    assert case.public_id not in visible(staff["other_cw"])
    with pytest.raises(Exception):
        selectors.shared_case(staff["other_cw"], referral.public_id)
    assert AuditEntry.objects.filter(action=AuditAction.REVOKE, object_id=consent.public_id).exists()
    assert AuditEntry.objects.filter(action=AuditAction.REVOKE, object_id=referral.public_id).exists()


def test_revoking_consent_withdraws_pending_referrals(case, staff, other_agency):
    consent = services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    referral = services.send_referral(
        staff["cw"], case, to_agency=other_agency, service="shelter", shared_fields=["name"]
    )
    services.revoke_consent(staff["cw"], consent)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    assert referral.events.filter(status=ReferralStatus.WITHDRAWN, note="consent revoked").exists()


def test_referral_needs_matching_consent(case, staff, other_agency, police_agency):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.send_referral(staff["cw"], case, to_agency=other_agency, service="shelter", shared_fields=["name"])
    # Consent for a different agency does not count.
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=police_agency)
    with pytest.raises(ValidationError):
        services.send_referral(staff["cw"], case, to_agency=other_agency, service="shelter", shared_fields=["name"])


def test_law_enforcement_needs_the_law_enforcement_consent_too(case, staff, police_agency):
    from django.core.exceptions import ValidationError

    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=police_agency)
    with pytest.raises(ValidationError):
        services.send_referral(
            staff["cw"], case, to_agency=police_agency, service="safety_planning", shared_fields=["name"]
        )
    le = services.grant_consent(staff["cw"], case, kind=ConsentKind.LAW_ENFORCEMENT)
    referral = services.send_referral(
        staff["cw"], case, to_agency=police_agency, service="safety_planning", shared_fields=["name"]
    )
    services.accept_referral(staff["police"], referral)
    assert can(staff["police"], Action.VIEW, "case", case)
    services.revoke_consent(staff["cw"], le)
    assert not can(staff["police"], Action.VIEW, "case", case)


def test_only_the_receiving_agency_answers_a_referral(case, staff, other_agency):
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    referral = services.send_referral(
        staff["cw"], case, to_agency=other_agency, service="shelter", shared_fields=["name"]
    )
    with pytest.raises(AccessDenied):
        services.accept_referral(staff["cw"], referral)
    with pytest.raises(AccessDenied):
        services.accept_referral(staff["police"], referral)
    assert referral in selectors.intake_queue(staff["other_cw"])
    assert referral not in selectors.intake_queue(staff["cw"])


def test_receiving_agency_cannot_edit_or_refer_the_shared_case(shared_case, staff, police_agency):
    case, _referral = shared_case
    assert not can(staff["other_cw"], Action.DELETE, "case", case)
    with pytest.raises(AccessDenied):
        services.send_referral(
            staff["other_cw"], case, to_agency=police_agency, service="shelter", shared_fields=["name"]
        )


def test_every_read_of_a_case_is_audited(case, staff):
    before = AuditEntry.objects.filter(action=AuditAction.VIEW).count()
    selectors.get_case(staff["cw"], case.public_id)
    entries = AuditEntry.objects.filter(action=AuditAction.VIEW).order_by("seq")[before:]
    assert {(e.object_type, e.object_id) for e in entries} == {
        ("cases.case", case.public_id),
        ("cases.person", case.person.public_id),
    }
    assert all("Ana" not in e.reason for e in entries)


def test_shared_view_is_audited_and_limited_to_chosen_fields(shared_case, staff):
    case, referral = shared_case
    data = selectors.shared_case(staff["other_cw"], referral.public_id)
    assert [f["field"] for f in data["fields"]] == ["name", "languages", "service_needs"]
    assert data["fields"][0]["value"] == "Ana Lopez"
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW, object_id=case.public_id, actor_id=staff["other_cw"].pk
    ).exists()


def test_full_case_page_is_not_open_to_the_receiving_agency(shared_case, staff):
    from django.http import Http404

    case, _ = shared_case
    with pytest.raises(Http404):
        selectors.get_case(staff["other_cw"], case.public_id)


def test_referral_list_is_one_query_for_each_side(shared_case, staff, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert (
            len(
                list(
                    Referral.objects.filter(
                        pk__in=scope_queryset(staff["other_cw"], Action.VIEW, "referral", Referral.objects.all())
                    )
                )
            )
            == 1
        )


def test_shared_scope_reads_but_never_edits(shared_case, staff):
    case, _ = shared_case
    for who in ("other_cw", "other_sup"):
        assert not can(staff[who], Action.UPDATE, "case", case)
        with pytest.raises(AccessDenied):
            services.update_case(staff[who], case, version=case.version, summary="changed")


def test_shared_cases_appear_in_the_receiving_agencys_search_until_revoked(shared_case, staff):
    case, referral = shared_case
    own = referral.received_case  # the receiving agency's own record, opened on accept
    for who in ("other_cw", "other_sup"):
        page = selectors.search_cases(staff[who], selectors.CaseFilters())
        assert sorted(c.public_id for c in page.items) == sorted([case.public_id, own.public_id])
    services.revoke_consent(staff["cw"], referral.consent)
    # The sender's record leaves the search; the receiving agency's own case is its own and stays.
    assert [c.public_id for c in selectors.search_cases(staff["other_sup"], selectors.CaseFilters()).items] == [
        own.public_id
    ]
