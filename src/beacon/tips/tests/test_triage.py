"""Staff triage: urgency order with reasons, linked tips, actions with the consent rule, audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from beacon.access.policy import AccessDenied, RecordRefused
from beacon.accounts.roles import Role
from beacon.audit.models import AuditEntry
from beacon.tips import selectors, services
from beacon.tips.models import Status, Tip


def _tip(key: str, **fields) -> Tip:
    fields.setdefault("narrative", f"report {key}")
    return services.submit_tip(services.TipInput(**fields), nonce=key * 8, idempotency_key=key).tip


@pytest.fixture
def hotline(make_user, agency):
    return make_user(Role.HOTLINE, agency)


@pytest.mark.django_db
def test_queue_puts_danger_then_children_then_red_flags_with_reasons(hotline, counties):
    old = _tip("old", when="earlier", location_kind="elsewhere")
    illinois = _tip("il", location_kind="county", county_fips="17031", when="week")
    child = _tip("child", child_involved="yes")
    danger = _tip("danger", danger_now=True)
    order = [t.public_id for t in selectors.queue(hotline)]
    assert order == [danger.public_id, child.public_id, illinois.public_id, old.public_id]
    assert danger.urgency_reasons[0][0] == "danger_now"
    illinois.refresh_from_db()
    assert [r[0] for r in illinois.urgency_reasons] == ["recent", "illinois"]


@pytest.mark.django_db
def test_queue_page_shows_reasons_in_few_queries(staff_client, hotline, counties, django_assert_max_num_queries):
    for n in range(12):
        _tip(f"t{n}", danger_now=n % 2 == 0, people={"phones": ["312 555 0100"]})
    client = staff_client(hotline)
    client.get("/staff/tips/")  # warm up the session and middleware
    with django_assert_max_num_queries(12):
        response = client.get("/staff/tips/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone is in danger now: +300" in html
    assert html.count('class="badge warn">11<') == 12  # each is linked to the eleven others


@pytest.mark.django_db
def test_tips_sharing_a_phone_or_plate_are_linked(hotline, counties):
    a = _tip("a", people={"phones": ["(312) 555-0142"], "plates": []})
    b = _tip("b", people={"phones": ["+1 312 555 0142"], "plates": []})
    c = _tip("c", people={"phones": [], "plates": ["IL AB 12345"]})
    d = _tip("d", people={"phones": [], "plates": ["il-ab12345"]})
    _tip("e", people={"phones": ["773 555 0000"]})
    linked = selectors.linked_tips(hotline, a)
    assert [entry["tip"].public_id for entry in linked] == [b.public_id]
    assert linked[0]["kinds"] == {"phone"}
    assert [entry["tip"].public_id for entry in selectors.linked_tips(hotline, c)] == [d.public_id]


@pytest.mark.django_db
def test_unassigned_tips_are_for_intake_roles_and_assignment_moves_them(make_user, agency, other_agency, counties):
    tip = _tip("x")
    caseworker_other = make_user(Role.CASEWORKER, other_agency)
    hotline = make_user(Role.HOTLINE, agency)
    assert selectors.get_tip(hotline, tip.public_id) == tip
    with pytest.raises(RecordRefused):  # "not found" to the user, a refusal in the audit
        selectors.get_tip(caseworker_other, tip.public_id)
    services.assign(hotline, tip, other_agency)
    assert selectors.get_tip(caseworker_other, tip.public_id) is not None
    with pytest.raises(RecordRefused):  # it now belongs to the other agency
        selectors.get_tip(hotline, tip.public_id)
    assert AuditEntry.objects.filter(object_id=tip.public_id, reason__startswith="assigned").exists()


@pytest.mark.django_db
def test_escalation_never_passes_identity_without_consent(make_user, agency, police_agency, staff_client, counties):
    hotline = make_user(Role.HOTLINE, agency)
    investigator = make_user(Role.INVESTIGATOR, police_agency)
    tip = _tip("noconsent", contact_preference="phone", contact_detail="+1 312 555 0199")
    with pytest.raises(ValidationError):
        services.escalate(hotline, tip, police_agency, share_identity=True)
    services.escalate(hotline, tip, police_agency)
    tip.refresh_from_db()
    assert tip.status == Status.ESCALATED and not tip.identity_shared_with_police
    html = staff_client(investigator).get(f"/staff/tips/{tip.public_id}/").content.decode()
    assert "555 0199" not in html and "did not consent" in html

    consenting = _tip(
        "consent", contact_preference="phone", contact_detail="+1 312 555 0123", consent_law_enforcement=True
    )
    services.escalate(hotline, consenting, police_agency, share_identity=True)
    html = staff_client(investigator).get(f"/staff/tips/{consenting.public_id}/").content.decode()
    assert "555 0123" in html
    reasons = list(AuditEntry.objects.filter(action="share").values_list("reason", flat=True))
    assert any("withheld" in r for r in reasons) and any("shared with consent" in r for r in reasons)


@pytest.mark.django_db
def test_escalation_goes_only_to_law_enforcement(hotline, other_agency, counties):
    with pytest.raises(ValidationError):
        services.escalate(hotline, _tip("y"), other_agency)


@pytest.mark.django_db
def test_staff_actions_through_the_pages_are_audited(staff_client, hotline, agency, counties):
    tip = _tip("pages")
    client = staff_client(hotline)
    assert client.get(f"/staff/tips/{tip.public_id}/").status_code == 200
    client.post(f"/staff/tips/{tip.public_id}/reply", {"body": "We are looking into it."})
    client.post(f"/staff/tips/{tip.public_id}/reply", {"body": "Which street?", "request_info": "on"})
    tip.refresh_from_db()
    assert tip.status == Status.AWAITING_INFO
    client.post(f"/staff/tips/{tip.public_id}/close", {"reason": "duplicate"})
    tip.refresh_from_db()
    assert tip.status == Status.CLOSED and tip.close_reason == "duplicate"
    reasons = list(AuditEntry.objects.filter(object_id=tip.public_id).values_list("action", "reason"))
    assert ("view", "tip opened") in reasons
    assert ("update", "closed: duplicate") in reasons
    assert sum(1 for _, r in reasons if r.startswith("message to reporter")) == 2
    for _, reason in reasons:
        assert "street" not in reason and "looking" not in reason  # no personal data in the audit log


@pytest.mark.django_db
def test_closing_needs_a_known_reason(hotline, counties):
    with pytest.raises(ValidationError):
        services.close(hotline, _tip("z"), "bored")


@pytest.mark.django_db
def test_roles_without_update_cannot_act(make_user, agency, counties):
    tip = _tip("w")
    analyst = make_user(Role.ANALYST, agency)
    with pytest.raises(AccessDenied):
        services.close(analyst, tip, "duplicate")


@pytest.mark.django_db
def test_screening_link_and_photo_view_are_offered(staff_client, make_user, agency, counties):
    from beacon.tips.photos import clean
    from beacon.tips.tests.conftest import jpeg_with_gps

    tip = services.submit_tip(
        services.TipInput(narrative="photo"),
        nonce="p" * 32,
        idempotency_key="p",
        photos=[clean(jpeg_with_gps())],
    ).tip
    supervisor = make_user(Role.SUPERVISOR, agency)
    client = staff_client(supervisor)
    html = client.get(f"/staff/tips/{tip.public_id}/").content.decode()
    assert f"/staff/screening/new?tip={tip.public_id}" in html
    photo_id = tip.photos.get().public_id
    response = client.get(f"/staff/tips/{tip.public_id}/photos/{photo_id}")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert AuditEntry.objects.filter(action="view", object_id=photo_id).exists()


@pytest.mark.django_db
def test_other_agencies_get_404_not_the_tip(staff_client, make_user, other_agency, counties):
    tip = _tip("hidden")
    client = staff_client(make_user(Role.CASEWORKER, other_agency))
    assert client.get(f"/staff/tips/{tip.public_id}/").status_code == 404


@pytest.mark.django_db
def test_red_flags_are_graded_by_the_community_instrument(hotline, counties):
    high = _tip("rf", checklist={"PHYSICAL_ABUSE": "yes", "RESTRICTED_MOVEMENT": "yes", "DEBT": "no"})
    low = _tip("rf2", checklist={"POOR_LIVING_CONDITIONS": "yes"})
    assert ["red_flags", 40, 2, "high", 6] in high.urgency_reasons
    assert ["red_flags", 10, 1, "low", 2] in low.urgency_reasons
    assert [t.public_id for t in selectors.queue(hotline)] == [high.public_id, low.public_id]


@pytest.mark.django_db
def test_hotline_home_shows_the_most_urgent_tips(staff_client, hotline, counties):
    tip = _tip("home", danger_now=True)
    html = staff_client(hotline).get("/staff/").content.decode()
    assert "Most urgent tips" in html and tip.public_id in html


@pytest.mark.django_db
def test_demo_tips_are_seeded_once(db):
    from beacon.demo.seeding import SeedContext
    from beacon.reference.loader import load_reference_data
    from beacon.tips.demo import seed_tips

    load_reference_data()
    ctx = SeedContext(out=lambda _: None)
    seed_tips(ctx)
    first = Tip.objects.count()
    seed_tips(ctx)
    assert first >= 5 and Tip.objects.count() == first


@pytest.mark.django_db
def test_a_tip_sharing_a_phone_with_a_case_shows_the_case_to_those_who_may_see_it(make_user, agency, counties):
    from beacon.cases.services import open_case

    supervisor = make_user(Role.SUPERVISOR, agency)
    case = open_case(supervisor, given_name="Ana", family_name="Test", phone="(312) 555-0177")
    tip = _tip("match", people={"phones": ["+1 312 555 0177"]})
    matches = selectors.external_matches(supervisor, tip)
    assert [m["label"] for m in matches] == [case.public_id]
    hotline = make_user(Role.HOTLINE, agency)
    assert selectors.external_matches(hotline, tip) == []  # the case is not theirs to see
    analyst = make_user(Role.ANALYST, agency)
    assert selectors.external_matches(analyst, tip) == []
