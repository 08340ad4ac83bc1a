"""Codenames in the reporter's language or in digits: entropy, forgiving input, old codenames, digits switch."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from beacon.crypto.keys import blind_index
from beacon.tips import codenames, services
from beacon.tips.models import Tip
from beacon.tips.tests.conftest import fresh_token, report_url, tip_form

PORTAL_LANGUAGES = [code for code, _ in settings.LANGUAGES]


@pytest.mark.parametrize("language", PORTAL_LANGUAGES)
def test_every_portal_language_gets_at_least_64_bits_in_both_forms(language):
    assert codenames.entropy_bits(language) >= 64
    assert codenames.entropy_bits(language, codenames.Style.DIGITS) >= 64
    name = codenames.derive("x" * 32, language)
    assert codenames.derive("x" * 32, language) == name != codenames.derive("y" * 32, language)
    if language in codenames.WORDLISTS:
        wordlist = codenames.words(language)
        assert len(wordlist) == 2048
        # Folding case and accents must not make two words one: each stays its own 11 bits.
        assert len({codenames.normalise(w) for w in wordlist}) == 2048
        assert all(w in wordlist for w in name.split()) and len(name.split()) == 6
    else:
        assert re.fullmatch(r"\d{4}( \d{4}){4}", name)


def test_words_are_in_the_readers_script_and_digits_elsewhere():
    assert codenames.style_for("es") == codenames.Style.WORDS
    assert re.fullmatch(r"[\u4e00-\u9fff]( [\u4e00-\u9fff]){5}", codenames.derive("z" * 32, "zh-hans"))
    assert re.fullmatch(r"[а-яё]+( [а-яё]+){5}", codenames.derive("z" * 32, "ru"))
    for language in ("ar", "ur", "pl", "uk", "hi", "gu", "vi", "tl"):
        assert codenames.style_for(language) == codenames.Style.DIGITS


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("es", lambda c: c.upper()),
        ("es", lambda c: "  " + "--".join(c.split()) + " "),
        ("es", lambda c: c.translate(str.maketrans("áéíóúñ", "aeioun"))),
        ("zh-hans", lambda c: c.replace(" ", "")),
        ("zh-hans", lambda c: "，".join(c.split())),
        ("ar", lambda c: c.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))),
        ("ur", lambda c: c.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")).replace(" ", "")),
        ("hi", lambda c: c.translate(str.maketrans("0123456789", "०१२३४५६७८९"))),
        ("pl", lambda c: c.translate(str.maketrans("0123456789 ", "０１２３４５６７８９\u3000"))),
        ("ko", lambda c: c.replace(" ", "   ")),
    ],
)
@pytest.mark.django_db
def test_input_is_forgiving(counties, language, typed):
    submitted = services.submit_tip(
        services.TipInput(narrative="n", language=language), nonce="f" * 32, idempotency_key="f"
    )
    if language == "es":
        assert codenames.normalise("ÁBACO") == codenames.normalise("abaco")
    assert services.find_by_codename(typed(submitted.codename)) == submitted.tip


@pytest.mark.django_db
def test_a_codename_issued_before_still_opens_its_tip(counties):
    """Seven EFF words, hashed the way they were before: found and verified unchanged."""
    old = "drop-down Unvalued dreamboat outgrow backspin from apple"
    old_normal = " ".join(re.split(r"[\s\-_.,]+", old.strip().casefold())).strip()
    tip = services.submit_tip(services.TipInput(narrative="n"), nonce="o" * 32, idempotency_key="o").tip
    Tip.objects.filter(pk=tip.pk).update(
        codename_hash=codenames._hasher.hash(old_normal),
        codename_index=blind_index(old_normal, purpose="tip-codename"),
    )
    assert services.find_by_codename("DROP DOWN unvalued  dreamboat outgrow backspin from apple") == tip
    assert services.find_by_codename("drop down unvalued dreamboat outgrow backspin from pear") is None


def _post_report(client, lang: str, token: str):
    return client.post(report_url(lang), tip_form(token=token))


def _codename(html: str) -> str:
    start = html.index('id="codename"')
    return html[html.index(">", start) + 1 : html.index("<", start + 1)].strip()


def _digits_token(html: str) -> str:
    form = html[html.index('class="codename-switch"') :]
    return form.split('name="token" value="')[1].split('"')[0]


@pytest.mark.django_db
def test_the_reporter_switches_to_digits_on_the_acknowledgement(client, counties):
    token = fresh_token(client, "es")
    first = _post_report(client, "es", token).content.decode()
    words = _codename(first)
    assert 'lang="es"' in first and "Usar números en su lugar" in first
    digits_url = report_url("es").replace("/report/", "/report/digits/")
    switched = client.post(digits_url, {"token": _digits_token(first)})
    html = switched.content.decode()
    digits = _codename(html)
    assert switched.status_code == 200 and re.fullmatch(r"\d{4}( \d{4}){4}", digits)
    assert "Anote estos números ahora" in html and "codename-switch" not in html
    tip = Tip.objects.get()
    assert services.find_by_codename(digits) == tip
    assert services.find_by_codename(words) is None
    # Switching again, or a retry of the first submission, shows the same digits.
    assert _codename(client.post(digits_url, {"token": _digits_token(first)}).content.decode()) == digits
    assert _codename(_post_report(client, "es", token).content.decode()) == digits
    assert Tip.objects.count() == 1


@pytest.mark.django_db
def test_a_forged_or_late_switch_changes_nothing(client, counties):
    first = _post_report(client, "es", fresh_token(client, "es")).content.decode()
    words = _codename(first)
    digits_url = report_url("es").replace("/report/", "/report/digits/")
    assert client.post(digits_url, {"token": "forged"}).status_code == 400
    Tip.objects.update(created_at=timezone.now() - timedelta(hours=1))
    late = client.post(digits_url, {"token": _digits_token(first)})
    assert late.status_code == 400
    assert services.find_by_codename(words) == Tip.objects.get()


@pytest.mark.django_db
def test_an_arabic_reporter_gets_digits_without_a_switch(client, counties):
    html = _post_report(client, "ar", fresh_token(client, "ar")).content.decode()
    assert re.fullmatch(r"\d{4}( \d{4}){4}", _codename(html))
    assert 'dir="rtl"' in html and "codename-switch" not in html
