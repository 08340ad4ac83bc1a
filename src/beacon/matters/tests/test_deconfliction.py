"""Deconfliction tells the asker only that a match exists, where and whom to call; both sides are told,
and every look-up and notice is audited. The issue's check, at the service and page level."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from beacon.audit.models import AuditEntry
from beacon.cases import services as case_services
from beacon.cases.models import Notification
from beacon.matters import selectors, services
from beacon.matters.models import DeconflictionHit, Subject
from beacon.tips import services as tip_services

pytestmark = pytest.mark.django_db

PHONE_B = "(312) 555-0142"  # how agency B wrote it
PHONE_A = "+1 312 555 0142"  # how agency A writes it


@pytest.fixture
def b_holds_the_phone(people, unit_b, open_matter):
    """Agency B: a matter with the phone as a subject, a designated contact, and a tip naming the phone."""
    matter = open_matter(people["b"], title="Massage parlour on Route 30")
    services.add_subject(people["b"], matter, "phone", PHONE_B, "burner phone of the manager")
    services.save_contact(
        people["b_admin"],
        unit_b,
        services.ContactInput(
            name="Sgt. Cal Contact", phone="815-555-0100", email="deconflict@unitb.example", user=people["b_contact"]
        ),
    )
    tip = tip_services.submit_tip(
        tip_services.TipInput(narrative="Women driven to the parlour at night.", people={"phones": [PHONE_B]}),
        nonce="deconfliction-tip",
        idempotency_key="deconfliction-tip",
    ).tip
    tip.agency = unit_b
    tip.save(update_fields=["agency"])
    Notification.objects.all().delete()
    mail.outbox.clear()
    return matter


def _findings(user, matter):
    subject = matter.subjects.get(kind="phone")
    return selectors.findings(user, matter)[subject.pk]


def test_the_asker_sees_where_and_whom_to_call_and_nothing_else(people, b_holds_the_phone, open_matter, staff_client):
    matter = open_matter(people["a"])
    added = services.add_subject(people["a"], matter, "phone", PHONE_A)
    assert added.check is not None and not added.merged
    found = _findings(people["a"], matter)
    assert {(f.kind, f.record_type, f.agency) for f in found} == {
        ("named", "investigation", "Unit B Sheriff"),
        ("named", "tip", "Unit B Sheriff"),
    }
    assert all(f.contact == "Sgt. Cal Contact · +18155550100 · deconflict@unitb.example" for f in found)

    page = staff_client(people["a"]).get(reverse("matters:detail", args=[matter.public_id])).content.decode()
    assert "A match exists at Unit B Sheriff (investigation, since" in page
    assert "Contact: Sgt. Cal Contact" in page
    # Nothing of B's records: not its matter's title, id or note, not the tip's narrative or id.
    for secret in ("Massage parlour", "Route 30", "burner phone", b_holds_the_phone.public_id, "driven to the parlour"):
        assert secret not in page


def test_the_holders_contact_and_lead_are_notified_and_everything_is_audited(people, b_holds_the_phone, open_matter):
    matter = open_matter(people["a"])
    added = services.add_subject(people["a"], matter, "phone", PHONE_A)
    told = {n.user_id: n.text for n in Notification.objects.all()}
    assert people["b_contact"].pk in told and people["b"].pk in told  # designated contact; the matter's lead
    assert people["hotline"].pk in told  # the tip's intake team
    assert "Unit A Police" in told[people["b_contact"].pk]
    assert b_holds_the_phone.public_id in told[people["b"].pk]
    assert people["a"].pk in told  # the asker's own notice
    assert people["caseworker"].pk not in told and people["coordinator"].pk not in told
    assert [m.to for m in mail.outbox] == [["deconflict@unitb.example"], ["deconflict@unitb.example"]]
    check = added.check
    assert AuditEntry.objects.filter(object_type="deconfliction", object_id=check.public_id, action="view").count() == 1
    notices = AuditEntry.objects.filter(object_type="notification", action="share").count()
    assert notices == Notification.objects.count()
    assert AuditEntry.objects.filter(object_type="deconflictioncontact", action="share").count() == 2
    # The audit holds ids and counts only: never the phone.
    assert not AuditEntry.objects.filter(reason__contains="555").exists()


def test_a_confidential_matter_is_not_named_and_the_coordinator_is_told(
    people, b_holds_the_phone, open_matter, staff_client
):
    b_holds_the_phone.confidential = True
    b_holds_the_phone.save()
    matter = open_matter(people["a"])
    services.add_subject(people["a"], matter, "phone", PHONE_A)
    kinds = sorted((f.kind, f.agency) for f in _findings(people["a"], matter))
    assert kinds == [("coordinator", ""), ("named", "Unit B Sheriff")]  # the tip is not confidential
    page = staff_client(people["a"]).get(reverse("matters:detail", args=[matter.public_id])).content.decode()
    assert "A match exists; the task-force coordinator will contact you." in page
    assert "(investigation," not in page
    coordinator = Notification.objects.get(user=people["coordinator"])
    assert "Unit A Police" in coordinator.text and "Unit B Sheriff" in coordinator.text
    log = staff_client(people["coordinator"]).get(reverse("matters:deconfliction")).content.decode()
    assert b_holds_the_phone.public_id in log and "Sgt. Cal Contact" in log
    assert "Massage parlour" not in log and "555-0142" not in log and "+13125550142" not in log


def test_only_the_coordinator_notice_when_every_match_is_confidential(people, unit_b, open_matter):
    matter_b = open_matter(people["b"], confidential=True)
    services.add_subject(people["b"], matter_b, "email", "Boss.Man@Example.com")
    matter = open_matter(people["a"])
    services.add_subject(people["a"], matter, "email", "boss.man@example.com")
    found = selectors.findings(people["a"], matter)[matter.subjects.get().pk]
    assert [(f.kind, f.agency, f.since, f.contact) for f in found] == [("coordinator", "", None, "")]


def test_a_survivors_case_is_only_a_possible_match_naming_no_agency(people, agency, open_matter, make_user):
    case = case_services.open_case(people["caseworker"], given_name="Rosa", family_name="Test", phone=PHONE_B)
    matter = open_matter(people["a"])
    services.add_subject(people["a"], matter, "phone", PHONE_A)
    services.add_subject(people["a"], matter, "person", "ROSA  test")
    for subject in matter.subjects.all():
        assert [f.kind for f in selectors.findings(people["a"], matter)[subject.pk]] == ["possible"]
        assert all(f.agency == "" and f.since is None for f in selectors.findings(people["a"], matter)[subject.pk])
    owner_notice = Notification.objects.filter(user=people["caseworker"]).first()
    assert owner_notice is not None and case.public_id in owner_notice.text and "consent" in owner_notice.text
    assert not Notification.objects.filter(user=people["a"], text__contains=agency.name).exists()


def test_the_askers_own_agency_is_not_a_match(people, open_matter):
    first = open_matter(people["a"])
    services.add_subject(people["a"], first, "phone", PHONE_A)
    second = open_matter(people["a"])
    added = services.add_subject(people["a"], second, "phone", PHONE_B)
    assert not DeconflictionHit.objects.filter(check_run=added.check).exists()


def test_an_unparseable_phone_is_kept_as_text_with_a_warning_and_no_index(people, open_matter, staff_client):
    matter = open_matter(people["a"])
    client = staff_client(people["a"])
    response = client.post(
        reverse("matters:subject_add", args=[matter.public_id]),
        {"kind": "phone", "value": "call me maybe"},
        follow=True,
    )
    subject = Subject.objects.get(matter=matter)
    assert subject.value == "call me maybe" and subject.bidx == "" and not subject.checks.exists()
    page = response.content.decode()
    assert "Saved as text only" in page and "not checked" in page


def test_a_duplicate_subject_is_merged_not_repeated(people, open_matter, staff_client):
    matter = open_matter(people["a"])
    services.add_subject(people["a"], matter, "phone", PHONE_A, "seen on the van")
    again = services.add_subject(people["a"], matter, "phone", PHONE_B, "also on the flyer")
    text_once = services.add_subject(people["a"], matter, "phone", "ask for Joe")
    text_twice = services.add_subject(people["a"], matter, "phone", "ASK for  joe")
    assert again.merged and again.check is None and text_twice.merged
    assert text_twice.subject.pk == text_once.subject.pk
    assert matter.subjects.count() == 2
    merged = matter.subjects.get(pk=again.subject.pk)
    assert merged.other_spellings == [PHONE_B]
    assert merged.note == "seen on the van\nalso on the flyer"


def test_a_caseworker_cannot_see_matters(people, open_matter, staff_client):
    matter = open_matter(people["a"])
    client = staff_client(people["caseworker"])
    assert client.get(reverse("matters:list")).status_code == 403
    assert client.get(reverse("matters:detail", args=[matter.public_id])).status_code == 403
    assert list(selectors.matters(people["caseworker"])) == []
    assert AuditEntry.objects.filter(actor_id=people["caseworker"].pk, action="denied").count() == 2


def test_another_agencys_matter_is_not_found_for_an_investigator(people, open_matter, staff_client):
    matter = open_matter(people["b"])
    response = staff_client(people["a"]).get(reverse("matters:detail", args=[matter.public_id]))
    assert response.status_code == 404
    assert AuditEntry.objects.filter(actor_id=people["a"].pk, action="denied", object_id=matter.public_id).exists()


def test_contact_needs_a_way_to_reach_it(people, unit_b):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.save_contact(
            people["b_admin"], unit_b, services.ContactInput(name="Desk", phone="", email="", user=None)
        )
    assert "phone number or an e-mail" in str(refused.value)
    with pytest.raises(ValidationError):
        services.save_contact(
            people["b_admin"], unit_b, services.ContactInput(name="Desk", phone="12", email="", user=None)
        )


def test_the_pages_open_and_a_matter_is_created_through_the_form(people, staff_client):
    client = staff_client(people["a"])
    assert client.get(reverse("matters:list")).status_code == 200
    assert client.get(reverse("matters:new")).status_code == 200
    response = client.post(
        reverse("matters:new"), {"title": "Farm crew", "exploitation_type": "ForcedLabour", "status": "open"}
    )
    assert response.status_code == 302
    bad = client.post(reverse("matters:new"), {"title": "Farm crew 2", "exploitation_type": "", "status": "open"})
    assert bad.status_code == 200 and "Farm crew 2" in bad.content.decode()
    admin = staff_client(people["b_admin"])
    assert admin.get(reverse("matters:contact")).status_code == 200
    saved = admin.post(reverse("matters:contact"), {"name": "Desk", "phone": "815 555 0100", "email": ""})
    assert saved.status_code == 302
    assert (
        staff_client(people["b"]).post(reverse("matters:contact"), {"name": "X", "phone": "815 555 0100"}).status_code
        == 403
    )


def test_the_coordinator_hears_of_unassigned_tips_but_never_of_a_survivors_case(people, open_matter):
    tip_services.submit_tip(
        tip_services.TipInput(narrative="A van at night.", people={"phones": [PHONE_B]}),
        nonce="unassigned-tip",
        idempotency_key="unassigned-tip",
    )
    case_services.open_case(people["caseworker"], given_name="Rosa", family_name="Test", phone=PHONE_B)
    Notification.objects.all().delete()
    matter = open_matter(people["a"], confidential=True)
    services.add_subject(people["a"], matter, "phone", PHONE_A)
    kinds = sorted(f.kind for f in selectors.findings(people["a"], matter)[matter.subjects.get().pk])
    assert kinds == ["coordinator", "possible"]
    told = [n.text for n in Notification.objects.filter(user=people["coordinator"])]
    assert len(told) == 1 and "no agency has taken yet" in told[0]
    # The survivor's agency hears of the match without the asker's name (its matter is confidential).
    survivor_side = Notification.objects.get(user=people["caseworker"]).text
    assert "Unit A Police" not in survivor_side and "keeps its matter confidential" in survivor_side


def test_two_confidential_holders_read_as_one_coordinator_notice(people, unit_b, open_matter, make_user):
    from beacon.accounts.models import Agency
    from beacon.accounts.roles import AgencyType, Role

    unit_c = Agency.objects.create(name="Unit C", type=AgencyType.LAW_ENFORCEMENT)
    for user in (people["b"], make_user(Role.INVESTIGATOR, unit_c)):
        services.add_subject(user, open_matter(user, confidential=True), "handle", "@night_rides")
    matter = open_matter(people["a"])
    services.add_subject(people["a"], matter, "handle", "Night_Rides")
    assert [f.kind for f in selectors.findings(people["a"], matter)[matter.subjects.get().pk]] == ["coordinator"]


def test_the_agency_administrator_finds_the_contact_page_in_the_navigation(people, staff_client):
    page = staff_client(people["b_admin"]).get(reverse("web:home")).content.decode()
    assert reverse("matters:contact") in page
    assert (
        reverse("matters:contact") not in staff_client(people["caseworker"]).get(reverse("web:home")).content.decode()
    )


def test_reading_matter_titles_is_audited(people, open_matter, staff_client):
    matter = open_matter(people["a"])
    client = staff_client(people["a"])
    for url, reason in (
        (reverse("matters:list"), "matter list"),
        (reverse("web:home"), "home page: open matters"),
        (reverse("matters:edit", args=[matter.public_id]), "matter edit form"),
        (reverse("matters:detail", args=[matter.public_id]), "subjects of matter (0)"),
    ):
        assert client.get(url).status_code == 200
        assert AuditEntry.objects.filter(
            actor_id=people["a"].pk, action="view", object_id=matter.public_id, reason=reason
        ).exists(), url


def test_a_tip_the_survivor_sent_without_police_consent_is_only_a_possible_match(
    people, unit_b, open_matter, staff_client
):
    tip = tip_services.submit_tip(
        tip_services.TipInput(narrative="My boss keeps my passport.", people={"phones": [PHONE_B]}),
        nonce="self-report",
        idempotency_key="self-report",
    ).tip
    type(tip).objects.filter(pk=tip.pk).update(agency=unit_b, self_report=True, consent_law_enforcement=False)
    matter = open_matter(people["a"])
    services.add_subject(people["a"], matter, "phone", PHONE_A)
    found = selectors.findings(people["a"], matter)[matter.subjects.get().pk]
    assert [(f.kind, f.agency) for f in found] == [("possible", "")]
    log = staff_client(people["coordinator"]).get(reverse("matters:deconfliction")).content.decode()
    assert "Unit B Sheriff" not in log
    assert not Notification.objects.filter(user=people["coordinator"]).exists()
    type(tip).objects.filter(pk=tip.pk).update(consent_law_enforcement=True)
    services.add_subject(people["a"], open_matter(people["a"]), "phone", PHONE_A)
    latest = DeconflictionHit.objects.latest("pk")
    assert not latest.survivor and selectors.finding(latest).agency == "Unit B Sheriff"
