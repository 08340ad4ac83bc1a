"""The staff language switch offers only complete staff languages; the portal and interviews keep all 13."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from beacon.screening.forms import StartForm
from beacon.web import staff_languages


@pytest.fixture(autouse=True)
def _fresh_staff_languages():
    staff_languages.clear_cache()
    yield
    staff_languages.clear_cache()


def _offered(html: str) -> list[str]:
    switch = re.search(r'<select id="language-select".*?</select>', html, re.S)
    assert switch, "no staff language switch on the page"
    return re.findall(r'<option value="([^"]+)"', switch.group(0))


def test_the_staff_switch_offers_exactly_english_and_the_complete_staff_languages(make_user, staff_client):
    client = staff_client(make_user("caseworker"))
    html = client.get(reverse("web:home")).content.decode()
    assert _offered(html) == list(staff_languages.staff_language_codes())
    assert _offered(html) == ["en", "es"]


def test_an_incomplete_staff_catalog_is_not_offered(make_user, staff_client, monkeypatch, tmp_path):
    monkeypatch.setattr(staff_languages, "catalog_path", lambda code: tmp_path / code / "django.po")
    staff_languages.clear_cache()
    client = staff_client(make_user("caseworker"))
    assert _offered(client.get(reverse("web:home")).content.decode()) == ["en"]


def test_spanish_staff_pages_are_in_spanish(make_user, staff_client):
    client = staff_client(make_user("caseworker"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    html = client.get(reverse("web:home")).content.decode()
    assert '<html lang="es"' in html
    assert "Cerrar sesión" in html and "Sign out" not in html


@pytest.mark.parametrize("language", ["ar", "zh-hans", "pl"])
def test_a_language_without_a_complete_staff_catalog_shows_staff_pages_in_english(make_user, staff_client, language):
    client = staff_client(make_user("caseworker"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("web:home"))
    html = response.content.decode()
    assert '<html lang="en"' in html and 'dir="rtl"' not in html
    assert "Sign out" in html
    assert response["Content-Language"] == "en"


def test_the_sign_in_page_follows_the_same_rule(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    assert '<html lang="en"' in client.get(reverse("accounts:login")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert '<html lang="es"' in client.get(reverse("accounts:login")).content.decode()


def test_the_portal_keeps_every_language(client):
    for code, _name in settings.LANGUAGES:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
        html = client.get(f"/{code}/").content.decode()
        assert f'lang="{code}"' in html, code


def test_screening_interviews_keep_every_language():
    """The interview language is not the staff page language: all 13 stay on offer."""
    assert [code for code, _ in StartForm.base_fields["language"].choices] == [c for c, _ in settings.LANGUAGES]
