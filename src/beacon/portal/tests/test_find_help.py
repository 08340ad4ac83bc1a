"""Find help a person can use: results on arrival, numbers to tap, whether a provider can take
someone now, and the hotline when nothing matches."""

from __future__ import annotations

import pytest

from beacon.directory.models import Provider, ProviderService
from beacon.reference.models import County, Language


@pytest.fixture
def directory(db):
    from beacon.portal.views import clear_caches

    clear_caches()
    cook = County.objects.create(fips="17031", name="Cook County", chicago_metro=True)
    County.objects.create(fips="17201", name="Winnebago County")
    spanish = Language.objects.create(code="es", iso639_3="spa", name="Spanish", native_name="Español", portal=True)
    polish = Language.objects.create(code="pl", iso639_3="pol", name="Polish", native_name="Polski", portal=True)
    full = Provider.objects.create(
        name="Aardvark Shelter",
        city="Chicago",
        address="100 W Randolph St",
        phone="312-555-0100",
        hours="Mon-Fri 9:00-17:00",
        accepting_new_clients=False,
        is_public=True,
    )
    full.counties.add(cook)
    open_door = Provider.objects.create(
        name="Open Door Legal",
        city="Chicago",
        address="20 N Clark St",
        phone="+13125550142",
        hours="24 hours",
        is_public=True,
    )
    open_door.counties.add(cook)
    open_door.languages.add(spanish, polish)
    ProviderService.objects.create(provider=open_door, category="legal_immigration")
    ProviderService.objects.create(provider=open_door, category="shelter")
    Provider.objects.create(name="Statewide Line", statewide=True, phone="8005550199", is_public=True)
    yield
    clear_caches()


def _page(client, lang: str, **query: str) -> str:
    response = client.get(f"/{lang}/find-help/", query)
    assert response.status_code == 200
    return response.content.decode()


def test_results_show_on_arrival_for_all_of_illinois(client, directory):
    html = _page(client, "es")
    results = html.split('id="results"')[1]
    assert "Todo Illinois" in html and "Organizaciones encontradas: 3" in html
    assert "Open Door Legal" in results and "Statewide Line" in results


def test_a_county_in_the_link_shows_its_providers_with_numbers_to_tap(client, directory):
    html = _page(client, "es", county="17031")
    assert "Condado de Cook · Organizaciones encontradas: 3" in html
    assert '<a class="call" href="tel:+13125550142" dir="ltr">(312) 555-0142</a>' in html
    assert '<a class="call" href="tel:+18005550199" dir="ltr">(800) 555-0199</a>' in html
    assert "20 N Clark St, Chicago" in html and "Horario" in html and "24 hours" in html
    assert "Idioma: Español y Polski" in html  # the language's own list pattern
    assert "<li>Ayuda legal (inmigración)</li><li>Albergue y vivienda</li>" in html  # a list: names hold "y"


def test_a_provider_not_accepting_clients_is_shown_as_such_and_last(client, directory):
    html = _page(client, "es", county="17031")
    assert html.count("Acepta nuevos clientes") == 2
    assert html.count("No acepta nuevos clientes por ahora") == 1
    # Those who can take someone now come first: the county's own, then statewide, then the full one.
    assert html.index("Open Door Legal") < html.index("Statewide Line") < html.index("Aardvark Shelter")


def test_no_results_give_the_hotline_number_to_tap(client, directory):
    html = _page(client, "ar", county="17201", service="legal_immigration")
    message = html.split('id="no-results"')[1].split("</p>")[0]
    assert "الخط الساخن الوطني لمكافحة الاتجار بالبشر" in message
    assert '<a href="tel:+18883737888" dir="ltr">1-888-373-7888</a>' in message


def test_the_acknowledgement_links_to_find_help_for_the_reports_county(client, directory):
    from beacon.tips.tests.conftest import fresh_token, report_url, tip_form

    data = tip_form()
    data["token"] = fresh_token(client, "es")
    html = client.post(report_url("es"), data).content.decode()
    assert 'href="/es/find-help/?county=17031#results"' in html
