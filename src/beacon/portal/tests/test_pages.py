"""The public pages: every language, no cookies, emergency numbers, quick exit, small pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

PAGES = [
    "landing",
    "signs",
    "rights",
    "workers",
    "young_people",
    "how_to_report",
    "find_help",
    "report",
    "follow_up",
]


def _url(name: str, lang: str) -> str:
    with translation.override(lang):
        return reverse(f"portal:{name}")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", [code for code, _ in settings.LANGUAGES])
def test_every_page_in_every_language_sets_no_cookie_and_shows_the_emergency_numbers(client, lang):
    for name in PAGES:
        response = client.get(_url(name, lang))
        assert response.status_code == 200, name
        assert "Set-Cookie" not in response.headers, name
        assert not response.cookies, name
        html = response.content.decode()
        assert f'lang="{lang}"' in html
        assert "911" in html and "1-888-373-7888" in html and "233733" in html and "1-800-25-ABUSE" in html
        assert 'id="quick-exit" href="https://www.weather.gov/"' in html
        expected_dir = "rtl" if lang in ("ar", "ur") else "ltr"
        assert f'dir="{expected_dir}"' in html.split(">", 2)[1]


@pytest.mark.django_db
def test_language_links_point_to_the_same_page_in_each_language(client):
    html = client.get(_url("signs", "es")).content.decode()
    for code, _ in settings.LANGUAGES:
        assert f'href="/{code}/signs/"' in html


@pytest.mark.django_db
def test_root_redirects_to_the_browser_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="pl,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/pl/"
    assert "Set-Cookie" not in response.headers


@pytest.mark.django_db
def test_pages_load_nothing_from_other_hosts_and_stay_small(client):
    from django.contrib.staticfiles import finders

    for name, lang in [(n, "en") for n in PAGES] + [("report", code) for code, _ in settings.LANGUAGES]:
        html = client.get(_url(name, lang)).content.decode()
        # Only the quick-exit link (a navigation, not a request) and tel:/sms: links leave the site.
        for attr in ('src="http', 'src="//', 'href="//', "@import", "url(http"):
            assert attr not in html, (name, attr)
        assert html.count('href="http') == html.count('href="https://www.weather.gov/"')
        weight = len(html.encode())
        weight += Path(finders.find("portal/portal.css")).stat().st_size
        weight += Path(finders.find("js/portal.js")).stat().st_size
        assert weight < 100 * 1024, (name, weight)


@pytest.mark.django_db
def test_portal_has_no_inline_script_or_style(client):
    for name in PAGES:
        html = client.get(_url(name, "ar")).content.decode()
        assert "<script>" not in html and "style=" not in html and "onclick" not in html
        assert "<style" not in html


@pytest.mark.django_db
def test_find_help_searches_public_directory_entries(client):
    from beacon.directory.models import Provider, ProviderService
    from beacon.reference.models import County, Language

    cook = County.objects.create(fips="17031", name="Cook County")
    polish = Language.objects.create(code="pl", iso639_3="pol", name="Polish", native_name="Polski", portal=True)
    shown = Provider.objects.create(name="Open Door Legal", city="Chicago", phone="+13125550100", is_public=True)
    shown.counties.add(cook)
    shown.languages.add(polish)
    ProviderService.objects.create(provider=shown, category="legal_immigration")
    hidden = Provider.objects.create(name="Internal Partner", city="Chicago", is_public=False)
    hidden.counties.add(cook)
    ProviderService.objects.create(provider=hidden, category="legal_immigration")
    response = client.get(
        _url("find_help", "es"), {"county": "17031", "service": "legal_immigration", "language": "pl"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert "Open Door Legal" in html and "Ayuda legal (inmigración)" in html and "Polski" in html
    assert "Internal Partner" not in html
    assert "Organizaciones encontradas: 1" in html
    # The language links keep the search.
    assert 'href="/ar/find-help/?county=17031&amp;service=legal_immigration&amp;language=pl"' in html
