"""The referral between two agencies: the summary read before accepting, the receiving agency's own case
opened on accept, the thread between the two sides, the directory's warnings before sending, and the
consent read again at accept (revoked or expired: refused, the sender told, nothing lost)."""

from __future__ import annotations

import datetime as dt
import html as html_module
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from beacon.access.policy import AccessDenied, Action, can, scope_queryset
from beacon.accounts.models import Agency
from beacon.accounts.roles import AgencyType, Role
from beacon.audit.models import AuditEntry
from beacon.cases import files, selectors, services
from beacon.cases.models import (
    Case,
    Consent,
    ConsentKind,
    Notification,
    Referral,
    ReferralMessage,
    ReferralStatus,
    age_band,
)
from beacon.directory.models import Provider, ProviderService
from beacon.directory.selectors import referral_warnings

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style|select|option)\b.*?</\1>", " ", html, flags=re.S)
    return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def sent(case, staff, other_agency):
    """A referral sent to the other agency with consent, not yet answered."""
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    services.add_need(staff["cw"], case, category="housing", priority="urgent")
    return services.send_referral(
        staff["cw"],
        case,
        to_agency=other_agency,
        service="legal_immigration",
        shared_fields=["name", "languages", "service_needs"],
        message="Needs an immigration lawyer this week; call me first.",
        urgency="urgent",
    )


# Summary before accepting ------------------------------------------------------------------------------


def test_age_bands():
    assert [age_band(a) for a in (None, 8, 12, 17, 18, 30, 49, 50, 64, 65, 90)] == [
        "unknown",
        "under_12",
        "12_17",
        "12_17",
        "18_24",
        "25_34",
        "35_49",
        "50_64",
        "50_64",
        "65_plus",
        "65_plus",
    ]


def test_the_summary_holds_no_name_contact_or_story(sent, case):
    summary = sent.summary
    assert summary["services"] == ["legal_immigration", "housing"]
    assert summary["county"] == "17031" and summary["languages"] == ["es"]
    assert summary["age_band"] == age_band(case.person.age_at_intake) and summary["minor"] is False
    flat = repr(summary)
    for secret in ("Ana", "Lopez", "312", "ana@example.org", "1995", "Fictional summary", "Undocumented"):
        assert secret not in flat
    with connection.cursor() as cursor:
        cursor.execute("select summary from cases_referral where id = %s", [sent.pk])
        assert "legal_immigration" not in cursor.fetchone()[0]  # encrypted at rest


def test_receiver_sees_the_summary_with_labels_and_no_personal_data_before_accepting(sent, staff, staff_client):
    text = _text(staff_client(staff["other_cw"]).get(reverse("cases:referral", args=[sent.public_id])))
    for label in ("Legal assistance (immigration)", "Urgent", "Cook County", "Spanish", "Forced labour", "Sent"):
        assert label in text, label
    assert "Needs an immigration lawyer this week" in text  # the sender's message
    assert "cw@example.org" in text  # whom to call: the sender, not the survivor
    for raw in ("legal_immigration", "ForcedLabour", "urgent", "17031", " es ", "under_12", "18_24", "25_34"):
        assert raw not in text, raw
    for secret in ("Ana", "Lopez", "312-555", "555-0101", "ana@example.org", "Fictional summary"):
        assert secret not in text, secret
    assert "Accept and open a case" in text
    # Nothing of the person was read, so nothing of the person was audited as viewed by the receiver.
    assert not AuditEntry.objects.filter(
        actor_id=staff["other_cw"].pk, action="view", object_id=sent.case.person.public_id
    ).exists()


def test_sender_sees_what_the_receiver_will_read(sent, staff, staff_client):
    text = _text(staff_client(staff["cw"]).get(reverse("cases:referral", args=[sent.public_id])))
    assert "What the receiving agency reads before it accepts" in text and "Legal assistance (immigration)" in text


# Accept opens the receiving agency's own case -----------------------------------------------------------


def test_accept_opens_the_receivers_own_case_with_only_the_shared_fields(sent, case, staff, other_agency):
    referral = services.accept_referral(staff["other_cw"], sent)
    own = Case.objects.select_related("person").get(pk=referral.received_case_id)
    assert own.agency == other_agency and own.person.agency == other_agency
    assert own.owner == staff["other_cw"] and own.pk != case.pk and own.person.pk != case.person.pk
    assert (own.person.given_name, own.person.family_name, own.person.languages) == ("Ana", "Lopez", ["es"])
    # Not shared: contact, birth date, immigration status, the case summary.
    assert own.person.contact is None and own.person.birth_date == "" and own.person.immigration_status == ""
    assert own.summary == "" and own.exploitation_types == []
    assert own.county_id == "17031" and own.referral_source == "community_provider"
    assert sorted(n.category for n in own.needs.all()) == ["housing", "legal_immigration"]
    assert own.needs.get(category="legal_immigration").priority == "urgent"
    assert can(staff["other_cw"], Action.UPDATE, "case", own)  # theirs to work on
    assert not can(staff["cw"], Action.VIEW, "case", own)  # not the sender's
    assert AuditEntry.objects.filter(actor_id=staff["other_cw"].pk, action="create", object_id=own.public_id).exists()
    notice = Notification.objects.get(user=staff["cw"], key=f"referral-accepted:{sent.public_id}")
    assert notice.url == reverse("cases:referral", args=[sent.public_id])


def test_an_investigator_accepts_without_opening_a_case(case, staff, police_agency):
    for kind, agency in ((ConsentKind.REFERRAL, police_agency), (ConsentKind.LAW_ENFORCEMENT, None)):
        services.grant_consent(staff["cw"], case, kind=kind, agency=agency)
    referral = services.send_referral(
        staff["cw"], case, to_agency=police_agency, service="legal_immigration", shared_fields=["name"]
    )
    referral = services.accept_referral(staff["police"], referral)
    assert referral.status == ReferralStatus.ACCEPTED and referral.received_case_id is None


def test_accept_through_the_screens_links_the_new_case_both_ways(sent, staff, staff_client):
    receiver = staff_client(staff["other_cw"])
    response = receiver.post(reverse("cases:referral_action", args=[sent.public_id, "accept"]), follow=True)
    sent.refresh_from_db()
    own = sent.received_case
    text = _text(response)
    assert f"Your agency's case {own.public_id} is open" in text and "Open your case" in text
    case_page = _text(receiver.get(reverse("cases:detail", args=[own.public_id])))
    assert "Opened from referral" in case_page and sent.public_id in case_page and "Ana Lopez" in case_page
    sender_page = _text(staff_client(staff["cw"]).get(reverse("cases:referral", args=[sent.public_id])))
    assert "Accepted" in sender_page and "opened their own case" in sender_page
    assert own.public_id not in sender_page


# Consent read again at accept ---------------------------------------------------------------------------


def test_expired_consent_refuses_the_accept_tells_the_sender_and_keeps_the_referral(sent, case, staff):
    Consent.objects.filter(pk=sent.consent_id).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(services.ConsentNotInForce) as refused:
        services.accept_referral(staff["other_cw"], sent)
    assert "expired" in refused.value.messages[0] and "Nothing was changed" in refused.value.messages[0]
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.SENT and sent.received_case_id is None and sent.version == 1
    assert Case.objects.filter(agency=staff["other_cw"].agency).count() == 0
    assert sent.events.filter(note="accept refused: consent").count() == 1
    assert Notification.objects.filter(user=staff["cw"], key__startswith=f"referral-consent:{sent.public_id}").exists()
    assert AuditEntry.objects.filter(actor_id=staff["other_cw"].pk, action="denied", object_id=sent.public_id).exists()
    # The survivor consents again: the same referral can now be accepted.
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=staff["other_cw"].agency)
    assert services.accept_referral(staff["other_cw"], sent).status == ReferralStatus.ACCEPTED


def test_revoked_consent_found_at_accept_is_refused_with_its_reason(sent, staff):
    # Revoked in the moment before the accept (revoke_consent itself also withdraws the waiting referral).
    Consent.objects.filter(pk=sent.consent_id).update(revoked_at=timezone.now())
    with pytest.raises(services.ConsentNotInForce) as refused:
        services.accept_referral(staff["other_cw"], sent)
    assert "withdrew" in refused.value.messages[0]
    assert Referral.objects.get(pk=sent.pk).status == ReferralStatus.SENT


def test_refused_accept_shows_a_clear_message_to_both_sides(sent, staff, staff_client):
    Consent.objects.filter(pk=sent.consent_id).update(expires_on=timezone.localdate() - dt.timedelta(days=3))
    receiver = staff_client(staff["other_cw"])
    text = _text(receiver.post(reverse("cases:referral_action", args=[sent.public_id, "accept"]), follow=True))
    assert "cannot be accepted" in text and "expired" in text and "has been told" in text
    sender = _text(staff_client(staff["cw"]).get(reverse("cases:referral", args=[sent.public_id])))
    assert "tried to accept" in sender and "record their consent" in sender


def test_expiry_ends_shared_access_through_the_policy(shared_case, staff):
    case, referral = shared_case
    receiver = staff["other_cw"]
    assert can(receiver, Action.VIEW, "case", case)
    Consent.objects.filter(pk=referral.consent_id).update(expires_on=timezone.localdate())
    assert can(receiver, Action.VIEW, "case", case)  # the expiry date is the last day it holds
    Consent.objects.filter(pk=referral.consent_id).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    assert not can(receiver, Action.VIEW, "case", case)
    assert case not in scope_queryset(receiver, Action.VIEW, "case", Case.objects.all())
    with pytest.raises(Http404):
        selectors.shared_case(receiver, referral.public_id)


def test_consent_cannot_be_recorded_as_already_expired(case, staff, other_agency):
    with pytest.raises(ValidationError):
        services.grant_consent(
            staff["cw"],
            case,
            kind=ConsentKind.REFERRAL,
            agency=other_agency,
            expires_on=timezone.localdate() - dt.timedelta(days=1),
        )


def test_consent_form_records_an_expiry(case, staff, staff_client, other_agency):
    until = timezone.localdate() + dt.timedelta(days=30)
    staff_client(staff["cw"]).post(
        reverse("cases:add_consent", args=[case.public_id]),
        {"kind": "referral", "agency": other_agency.pk, "method": "written", "expires_on": until.isoformat()},
    )
    assert Consent.objects.get(case=case, kind="referral").expires_on == until


# Thread ------------------------------------------------------------------------------------------------


def test_thread_between_both_sides_encrypted_audited_and_notified(sent, staff):
    first = services.post_referral_message(staff["cw"], sent, "Can you see her on Monday?")
    reply = services.post_referral_message(staff["other_cw"], sent, "Yes, 10 am.")
    assert Notification.objects.filter(user=staff["other_cw"], key=f"referral-message:{first.public_id}").exists()
    assert Notification.objects.filter(user=staff["cw"], key=f"referral-message:{reply.public_id}").exists()
    with connection.cursor() as cursor:
        cursor.execute("select body from cases_referralmessage where id = %s", [first.pk])
        assert "Monday" not in cursor.fetchone()[0]
    thread = selectors.referral_thread(staff["other_cw"], sent)
    assert [m.body for m in thread] == ["Can you see her on Monday?", "Yes, 10 am."]
    read = AuditEntry.objects.filter(actor_id=staff["other_cw"].pk, action="view", object_type="cases.referralmessage")
    assert set(read.values_list("object_id", flat=True)) == {first.public_id, reply.public_id}


def test_a_third_agency_can_neither_read_nor_write_the_thread(sent, staff, make_user):
    services.post_referral_message(staff["cw"], sent, "Private to the two agencies.")
    third = make_user(Role.CASEWORKER, Agency.objects.create(name="Third agency", type=AgencyType.NGO))
    assert selectors.referral_thread(third, sent) == []
    assert scope_queryset(third, Action.VIEW, "referral_message", ReferralMessage.objects.all()).count() == 0
    with pytest.raises(AccessDenied):
        services.post_referral_message(third, sent, "hello")
    # A colleague of the sender who neither sent it nor owns the case is not a side either.
    assert selectors.referral_thread(staff["cw2"], sent) == []


def test_an_empty_or_overlong_message_is_refused_and_nothing_saved(sent, staff):
    for body in ("   ", "x" * 5_001):
        with pytest.raises(ValidationError):
            services.post_referral_message(staff["cw"], sent, body)
    assert ReferralMessage.objects.count() == 0


def test_thread_through_the_screens(sent, staff, staff_client):
    receiver = staff_client(staff["other_cw"])
    url = reverse("cases:referral_message", args=[sent.public_id])
    response = receiver.post(url, {"body": "We can take her case."})
    assert response.status_code == 302 and response["Location"].endswith("#thread")
    text = _text(staff_client(staff["cw"]).get(reverse("cases:referral", args=[sent.public_id])))
    assert "We can take her case." in text
    assert receiver.post(url, {"body": ""}).status_code == 302
    assert ReferralMessage.objects.count() == 1
    outsider = staff_client(staff["hotline"])
    assert outsider.post(url, {"body": "hi"}).status_code in (403, 404)


# Directory warnings before sending ----------------------------------------------------------------------


def _directory_entry(agency, *, accepting=True, services_offered=("legal_immigration",)):
    provider = Provider.objects.create(agency=agency, name=f"{agency.name} office", accepting_new_clients=accepting)
    for category in services_offered:
        ProviderService.objects.create(provider=provider, category=category)
    return provider


def test_directory_warnings(other_agency):
    assert referral_warnings(other_agency.pk, "legal_immigration") == []  # not in the directory: nothing known
    provider = _directory_entry(other_agency, accepting=False)
    assert referral_warnings(other_agency.pk, "legal_immigration") == [
        "The directory marks this agency as not accepting new clients."
    ]
    assert len(referral_warnings(other_agency.pk, "housing")) == 2
    Provider.objects.filter(pk=provider.pk).update(accepting_new_clients=True)
    assert referral_warnings(other_agency.pk, "legal_immigration") == []
    assert referral_warnings(other_agency.pk, "housing") == [
        "The directory does not list this service for this agency."
    ]


def test_sending_to_an_agency_not_accepting_asks_first(case, staff, staff_client, other_agency, police_agency):
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    _directory_entry(other_agency, accepting=False)
    client = staff_client(staff["cw"])
    url = reverse("cases:new_referral", args=[case.public_id])
    form = {
        "to_agency": other_agency.pk,
        "service": "legal_immigration",
        "shared_fields": ["name"],
        "reason": "AdditionalServicesRequired",
        "urgency": "normal",
    }
    first = client.post(url, form)
    assert first.status_code == 200 and "not accepting new clients" in _text(first) and "Send anyway" in _text(first)
    assert not Referral.objects.exists()
    # A confirmation given for another agency or service does not count.
    assert client.post(url, {**form, "confirm_warnings": f"{police_agency.pk}:legal_immigration"}).status_code == 200
    assert not Referral.objects.exists()
    sent = client.post(url, {**form, "confirm_warnings": f"{other_agency.pk}:legal_immigration"})
    assert sent.status_code == 302 and Referral.objects.count() == 1


def test_the_referral_form_warns_already_when_opened_from_the_directory(case, staff, staff_client, other_agency):
    _directory_entry(other_agency, services_offered=("housing",))
    url = reverse("cases:new_referral", args=[case.public_id])
    text = _text(staff_client(staff["cw"]).get(url, {"agency": other_agency.pk, "service": "legal_immigration"}))
    assert "does not list this service" in text


# role x side of the referral -> may read its thread ("v") and write to it ("c").
THREAD_MATRIX = {
    ("cw", "sender"): "vc",
    ("cw2", "sender's colleague"): "",
    ("sup", "sender's supervisor"): "vc",
    ("hotline", "sender's hotline"): "",
    ("other_cw", "receiver"): "vc",
    ("other_sup", "receiver's supervisor"): "vc",
    ("police", "another agency"): "",
    ("analyst", "no agency"): "",
}


@pytest.mark.parametrize(("who", "side"), list(THREAD_MATRIX))
def test_thread_policy_matrix(who, side, sent, staff):
    message = services.post_referral_message(staff["cw"], sent, "hello")
    user = staff[who]
    expected = THREAD_MATRIX[(who, side)]
    assert can(user, Action.VIEW, "referral_message", message) is ("v" in expected)
    listed = scope_queryset(user, Action.VIEW, "referral_message", ReferralMessage.objects.all())
    assert (message in listed) is ("v" in expected)
    probe = ReferralMessage(referral=sent, agency_id=user.agency_id or 0, body="x")
    assert can(user, Action.CREATE, "referral_message", probe) is ("c" in expected)


# Consent as the field practises it -------------------------------------------------------------------


def test_consent_scope_limits_what_a_referral_may_carry(case, staff, other_agency):
    services.grant_consent(
        staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency, scope_fields=["name", "languages"]
    )
    with pytest.raises(ValidationError) as refused:
        services.send_referral(
            staff["cw"], case, to_agency=other_agency, service="legal_immigration", shared_fields=["name", "contact"]
        )
    assert "Contact details" in refused.value.messages[0] and not Referral.objects.exists()
    referral = services.send_referral(
        staff["cw"], case, to_agency=other_agency, service="legal_immigration", shared_fields=["name", "languages"]
    )
    assert referral.shared_fields == ["name", "languages"]


def test_a_narrower_consent_at_accept_narrows_the_receivers_case_and_view(case, staff, other_agency):
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    referral = services.send_referral(
        staff["cw"], case, to_agency=other_agency, service="legal_immigration", shared_fields=["name", "contact"]
    )
    # The survivor, asked again, agrees to their name only.
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency, scope_fields=["name"])
    referral = services.accept_referral(staff["other_cw"], referral)
    own = Case.objects.select_related("person").get(pk=referral.received_case_id)
    assert own.person.given_name == "Ana" and own.person.contact is None
    fields = [f["field"] for f in selectors.shared_case(staff["other_cw"], referral.public_id)["fields"]]
    assert fields == ["name"]


def test_witness_and_signed_form_are_kept_encrypted(case, staff, other_agency):
    consent = services.grant_consent(
        staff["cw"],
        case,
        kind=ConsentKind.REFERRAL,
        agency=other_agency,
        method="written",
        witness="Rosa Witness",
        signed_form=("consent-signed.pdf", b"%PDF-1.4\n%signed consent form\n"),
    )
    consent.refresh_from_db()
    assert consent.witness == "Rosa Witness" and consent.signed_form.case_id == case.pk
    assert services.read_attachment(staff["cw"], consent.signed_form).startswith(b"%PDF-1.4")
    with connection.cursor() as cursor:
        cursor.execute("select witness from cases_consent where id = %s", [consent.pk])
        assert "Rosa" not in cursor.fetchone()[0]
    assert b"signed consent" not in files._path(consent.signed_form.storage_name).read_bytes()


def test_a_bad_signed_form_saves_nothing(case, staff, other_agency):
    with pytest.raises(ValidationError):
        services.grant_consent(
            staff["cw"],
            case,
            kind=ConsentKind.REFERRAL,
            agency=other_agency,
            signed_form=("form.pdf", b"MZ\x90\x00 not a pdf"),
        )
    assert not Consent.objects.filter(case=case, kind="referral").exists()


def test_consent_form_with_scope_witness_and_signed_form(case, staff, staff_client, other_agency):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = staff_client(staff["cw"])
    until = timezone.localdate() + dt.timedelta(days=60)
    response = client.post(
        reverse("cases:add_consent", args=[case.public_id]),
        {
            "kind": "referral",
            "agency": other_agency.pk,
            "method": "written",
            "expires_on": until.isoformat(),
            "witness": "Rosa Witness",
            "scope_fields": ["name", "languages"],
            "signed_form": SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n%x\n", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(case=case, kind="referral")
    assert (consent.scope_fields, consent.witness, consent.expires_on) == (["name", "languages"], "Rosa Witness", until)
    assert consent.signed_form is not None
    page = _text(client.get(reverse("cases:detail", args=[case.public_id])))
    assert "witnessed by Rosa Witness" in page and "May share: Name, Languages" in page and "Signed form" in page
    Consent.objects.filter(pk=consent.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    assert "expired after" in _text(client.get(reverse("cases:detail", args=[case.public_id])))
    assert (
        'enctype="multipart/form-data"'
        in client.get(reverse("cases:add_consent", args=[case.public_id])).content.decode()
    )


def test_the_intake_queue_puts_urgent_referrals_first_and_shows_the_urgency(case, staff, staff_client, other_agency):
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    first = services.send_referral(
        staff["cw"], case, to_agency=other_agency, service="housing", shared_fields=["name"], urgency="low"
    )
    second_case = services.open_case(staff["cw"], given_name="Eva", languages=["pl"])
    services.grant_consent(staff["cw"], second_case, kind=ConsentKind.REFERRAL, agency=other_agency)
    urgent = services.send_referral(
        staff["cw"], second_case, to_agency=other_agency, service="housing", shared_fields=["name"], urgency="urgent"
    )
    assert [r.public_id for r in selectors.intake_queue(staff["other_cw"])] == [urgent.public_id, first.public_id]
    text = _text(staff_client(staff["other_cw"]).get(reverse("cases:referrals")))
    assert "Urgency" in text and "Urgent" in text and "Low" in text
