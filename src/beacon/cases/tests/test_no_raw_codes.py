"""Staff pages show labels, never stored codes: a case carrying every value of its vocabularies, its
referral as the receiving agency sees it, and a tip with its history; a code that differs from its
label (`am`, `GTM`, `ForcedLabour`, `legal_immigration`, `duplicate` ...) must not be readable."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from beacon.cases import services
from beacon.cases.models import Case, ConsentKind, Person, ServiceNeed
from beacon.cases.templatetags.cases_tags import _language_names
from beacon.reference.vocabularies import choices

pytestmark = pytest.mark.django_db

VOCABULARIES = {
    "exploitation_types": "htcds:vic_TypeOfExploitation",
    "methods_of_control": "htcds:vic_MethodsOfControl",
    "recruitment_methods": "htcds:vic_MethodOfRecruitment",
}


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|select|option)\b.*?</\1>", " ", html, flags=re.S)  # choices in forms hold codes
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def _looks_like_code(code: str) -> bool:
    """snake_case, CamelCase or a 2-3 letter code: a plain word ("health") may be part of a label."""
    return "_" in code or bool(re.search(r"[a-z][A-Z]", code)) or len(code) <= 3


def _raw_codes(text: str, codes: dict[str, str]) -> list[str]:
    """Codes readable as words in `text` that differ from their own label."""
    return sorted(
        code
        for code, label in codes.items()
        if _looks_like_code(code)
        and code.lower() != str(label).lower()
        and re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_case_and_shared_referral_pages_show_labels_for_every_vocabulary_value(
    language, case, staff, other_agency, staff_client
):
    codes: dict[str, str] = {}
    values = {}
    for field, vocabulary in VOCABULARIES.items():
        pairs = choices(vocabulary)
        codes.update({code: label for code, label in pairs})
        values[field] = [code for code, _label in pairs]
    Case.objects.filter(pk=case.pk).update(**values, primary_type=values["exploitation_types"][0])
    services_vocab = choices("service_category")
    codes.update({code: label for code, label in services_vocab})
    ServiceNeed.objects.bulk_create([ServiceNeed(case=case, category=code) for code, _label in services_vocab])
    languages = ["am", "es", "quc", "zh"]
    codes.update({code: _language_names().get(code, code) for code in languages})
    person = Person.objects.get(pk=case.person_id)
    person.languages, person.citizenship = languages, "GTM"
    person.save(update_fields=["languages", "citizenship"])
    codes["GTM"] = "Guatemala"

    cw = staff["cw"]
    services.grant_consent(cw, case, kind=ConsentKind.REFERRAL, agency=other_agency)
    referral = services.send_referral(
        cw,
        case,
        to_agency=other_agency,
        service="legal_immigration",
        shared_fields=["name", "languages", "citizenship", "exploitation_types", "service_needs"],
    )
    services.accept_referral(staff["other_cw"], referral)

    sender = staff_client(cw)
    receiver = staff_client(staff["other_cw"])
    for client in (sender, receiver):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = {
        "case page": sender.get(f"/staff/cases/{case.public_id}/"),
        "referral (sender)": sender.get(f"/staff/cases/referrals/{referral.public_id}/"),
        "referral (receiver)": receiver.get(f"/staff/cases/referrals/{referral.public_id}/"),
        "referrals (receiver)": receiver.get("/staff/cases/referrals/"),
        "case list": sender.get("/staff/cases/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        raw = _raw_codes(_visible_text(response.content.decode()), codes)
        assert raw == [], f"{name} ({language}) shows raw codes: {raw}"
    receiving = _visible_text(pages["referral (receiver)"].content.decode())
    assert "Guatemala" in receiving and ("Amharic" in receiving or "amhárico" in receiving.lower())


def test_a_tip_page_shows_labels_for_its_history_and_links(make_user, agency, staff_client):
    from beacon.tips import services as tips
    from beacon.tips.models import CloseReason

    hotline = make_user("hotline", agency)
    people = {"phones": ["312 555 0100"]}
    tip = tips.submit_tip(tips.TipInput(narrative="a", people=people), nonce="a" * 16, idempotency_key="a").tip
    tips.submit_tip(tips.TipInput(narrative="b", people=people), nonce="b" * 16, idempotency_key="b")
    tips.classify(hotline, tip, ["ForcedLabour", "SexualExploitation"])
    tips.close(hotline, tip, "not_trafficking")
    text = _visible_text(staff_client(hotline).get(f"/staff/tips/{tip.public_id}/").content.decode())
    codes = dict(choices("htcds:vic_TypeOfExploitation")) | dict(CloseReason.choices)
    codes |= {"classify": "Classified", "close": "Closed", "review": "Review started"}
    assert _raw_codes(text, codes) == []
    assert "Forced labour" in text and "Not trafficking" in text
