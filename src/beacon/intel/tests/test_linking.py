"""A phone or e-mail in a tip or case that appears in a network is surfaced on both sides, by blind index,
to roles that may see intel, and only as references the viewer may open."""

from __future__ import annotations

import pytest
from django.db.models import Q
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from beacon.audit.models import AuditAction, AuditEntry
from beacon.cases import services as case_services
from beacon.crypto.keys import email_index, phone_index
from beacon.intel import selectors
from beacon.intel.models import Contact, Network
from beacon.tips import services as tip_services
from beacon.tips.models import Tip


@pytest.fixture
def tip(people, police_agency) -> Tip:
    submitted = tip_services.submit_tip(
        tip_services.TipInput(narrative="Ads for a girl moved between cities.", people={"phones": ["312-555-0101"]}),
        nonce="intel-test",
        idempotency_key="intel-test",
    )
    Tip.objects.filter(pk=submitted.tip.pk).update(escalated_to=police_agency)
    return Tip.objects.get(pk=submitted.tip.pk)


@pytest.fixture
def case(people):
    return case_services.open_case(
        people["caseworker"],
        given_name="Ana",
        family_name="Test",
        phone="+1 312 555 0101",
        email="Jobs.Recruit@example.com",
    )


def _network(post_id: str) -> Network:
    return Network.objects.get(posts__source_post_id=post_id)


@pytest.mark.django_db
def test_contacts_carry_the_same_blind_index_as_tips_and_cases(loaded, case, tip):
    phone = Contact.objects.get(kind="phone", value="+13125550101")
    assert phone.bidx == case.person.phone_bidx == phone_index("(312) 555-0101")
    assert phone.bidx in set(tip.identifiers.filter(kind="phone").values_list("index", flat=True))
    email = Contact.objects.get(kind="email")
    assert email.bidx == case.person.email_bidx == email_index("jobs.recruit@example.com")


@pytest.mark.django_db
def test_networks_for_identifiers_matches_case_indexes_for_intel_roles_only(loaded, case, people):
    person = case.person
    found = selectors.networks_for_identifiers(people["analyst"], [person.phone_bidx], [person.email_bidx])
    assert set(found) == {_network("cs1"), _network("lr1")}
    assert not selectors.networks_for_identifiers(people["caseworker"], [person.phone_bidx], []).exists()
    assert not selectors.networks_for_identifiers(people["supervisor"], [person.phone_bidx], []).exists()
    assert not selectors.networks_for_identifiers(people["analyst"], ["0" * 40], []).exists()


@pytest.mark.django_db
def test_tip_with_the_same_phone_links_to_the_network(loaded, tip, people):
    network = _network("cs1")
    assert list(selectors.networks_for_tip(people["investigator"], tip)) == [network]
    assert selectors.match_blind_indexes(people["investigator"], tip)[0]["url"] == reverse(
        "intel:network", args=[network.public_id]
    )
    assert selectors.match_blind_indexes(people["hotline"], tip) == []


@pytest.mark.django_db
def test_tip_page_shows_the_network_to_the_investigator(loaded, tip, people, staff_client):
    network = _network("cs1")
    html = staff_client(people["investigator"]).get(reverse("tips:detail", args=[tip.public_id])).content.decode()
    assert reverse("intel:network", args=[network.public_id]) in html


@pytest.mark.django_db
def test_network_page_lists_only_the_tips_and_cases_the_viewer_may_open(loaded, tip, case, people, staff_client):
    network = _network("cs1")
    url = reverse("intel:network", args=[network.public_id])
    # the investigator's unit received the tip; the case was never shared with them
    html = staff_client(people["investigator"]).get(url).content.decode()
    assert reverse("tips:detail", args=[tip.public_id]) in html
    assert case.public_id not in html
    # analysts see intel but neither tips nor cases
    html = staff_client(people["analyst"]).get(url).content.decode()
    assert tip.public_id not in html and case.public_id not in html
    linked = selectors.linked_records(people["investigator"], network)
    assert linked == {
        "tips": [{"public_id": tip.public_id, "url": reverse("tips:detail", args=[tip.public_id])}],
        "cases": [],
    }


@pytest.mark.django_db
def test_a_shared_case_is_listed_for_the_investigator(loaded, people, case, monkeypatch):
    from beacon.access import policy

    network = _network("cs1")
    # stand in for an accepted referral with law-enforcement consent: the case adapter says "shared"
    adapter = policy._ADAPTERS["case"]
    monkeypatch.setitem(
        policy._ADAPTERS,
        "case",
        policy.Adapter(
            owner=adapter.owner,
            agency=adapter.agency,
            shared=lambda u, c: True,
            q_own=adapter.q_own,
            q_agency=adapter.q_agency,
            q_shared=lambda u: Q(pk=case.pk),
        ),
    )
    linked = selectors.linked_records(people["investigator"], network)
    assert [c["public_id"] for c in linked["cases"]] == [case.public_id]


@pytest.mark.django_db
def test_case_page_include_shows_the_match_to_intel_roles_and_a_notice_to_others(loaded, case, people):
    template = Template(
        '{% load intel_links %}{% intel_match_for_case case as match %}{% include "intel/match_notice.html" %}'
    )
    network = _network("cs1")
    for role, shown in [("analyst", True), ("caseworker", False), ("supervisor", False)]:
        request = RequestFactory().get("/")
        request.user = people[role]
        html = template.render(Context({"request": request, "case": case}))
        assert (network.public_id in html) is shown, role
        assert ("Restricted match exists" in html) is not shown, role
        assert "+1312" not in html and "555" not in html  # never a contact value


@pytest.mark.django_db
def test_no_notice_without_a_match(loaded, people):
    other = case_services.open_case(people["caseworker"], given_name="B", family_name="C", phone="+1 217 555 0199")
    request = RequestFactory().get("/")
    request.user = people["caseworker"]
    html = Template(
        '{% load intel_links %}{% intel_match_for_case case as match %}{% include "intel/match_notice.html" %}'
    ).render(Context({"request": request, "case": other}))
    assert "Restricted" not in html and not AuditEntry.objects.filter(action=AuditAction.DENIED).exists()


@pytest.mark.django_db
def test_tip_page_shows_hotline_staff_a_restricted_notice_and_audits_it(loaded, tip, people, staff_client, agency):
    Tip.objects.filter(pk=tip.pk).update(agency=agency)
    network = _network("cs1")
    hotline = people["hotline"]
    html = staff_client(hotline).get(reverse("tips:detail", args=[tip.public_id])).content.decode()
    assert "Restricted match exists" in html and "Ask an investigator" in html
    assert network.public_id not in html
    assert AuditEntry.objects.filter(
        actor_id=hotline.pk, action=AuditAction.DENIED, object_id=tip.public_id, reason__startswith="intel match"
    ).exists()
    investigator = people["investigator"]
    html = staff_client(investigator).get(reverse("tips:detail", args=[tip.public_id])).content.decode()
    assert "Restricted match exists" not in html and reverse("intel:network", args=[network.public_id]) in html
    assert AuditEntry.objects.filter(
        actor_id=investigator.pk, action=AuditAction.VIEW, object_id=network.public_id, reason__startswith="intel match"
    ).exists()


@pytest.mark.django_db
def test_case_page_shows_the_caseworker_a_restricted_notice(loaded, case, people, staff_client):
    html = staff_client(people["caseworker"]).get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert 'id="intel-restricted-match"' in html and _network("cs1").public_id not in html
