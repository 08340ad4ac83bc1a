"""The public portal in a real browser: reporting in Spanish and Arabic, the codename follow-up,
quick exit, and everything working with JavaScript turned off. No request leaves the machine:
the neutral site behind quick exit is answered by a stub."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from beacon.accounts.roles import Role
from beacon.reference.models import County
from beacon.tips import codenames, services
from beacon.tips.models import Tip

NEUTRAL = "https://www.weather.gov/"


@pytest.fixture
def counties(transactional_db) -> Iterator[None]:
    from beacon.portal.views import clear_caches

    clear_caches()
    County.objects.create(fips="17031", name="Cook County", chicago_metro=True)
    County.objects.create(fips="17201", name="Winnebago County")
    yield
    clear_caches()


def _guard(context, live_url: str, outside: list[str]) -> None:
    """Answer the neutral site with a stub; record (and refuse) any other request off this server."""

    def handle(route) -> None:
        url = route.request.url
        if url.startswith(live_url) or url.startswith("data:"):
            route.continue_()
        elif url.startswith(NEUTRAL):
            route.fulfill(status=200, content_type="text/html", body="<title>Weather</title><h1>Weather</h1>")
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", handle)


@pytest.fixture
def open_context(browser, live_server) -> Iterator[object]:
    contexts = []
    outside: list[str] = []

    def make(locale: str = "en-US", javascript: bool = True):
        context = browser.new_context(base_url=live_server.url, locale=locale, java_script_enabled=javascript)
        context.set_default_timeout(15000)
        _guard(context, live_server.url, outside)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        assert context.cookies() == [], "the portal must not set cookies"
        context.close()
    assert outside == [], f"third-party requests: {outside}"


def _fill_report(page, narrative: str) -> None:
    page.fill("#id_narrative", narrative)
    page.check("#id_location_kind_0")
    page.select_option("#id_county", "17031")
    page.select_option("#id_when", "week")
    page.fill("#id_phones", "312-555-0142")


def _follow_up(page, lang: str, codename: str) -> None:
    page.goto(f"/{lang}/report/follow-up/")
    page.fill("#id_codename", codename)
    page.locator("main form button[type=submit]").click()


def _hotline_user():
    from beacon.accounts.models import Agency, User
    from beacon.accounts.roles import AgencyType

    agency = Agency.objects.create(name="Hotline Agency", type=AgencyType.NGO, city="Chicago")
    return User.objects.create_user(
        username="hotline-b", password="correct horse battery", role=Role.HOTLINE, agency=agency
    )


def test_report_in_spanish_return_with_codename_read_reply_and_add_information(open_context, counties):
    page = open_context(locale="es-ES").new_page()
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto("/")
    assert page.url.endswith("/es/")  # the browser's language picks the portal's
    page.get_by_role("link", name="Reportar", exact=True).click()
    _fill_report(page, "Varias personas duermen en la fábrica y no pueden salir.")
    page.locator("#id_flag_RESTRICTED_MOVEMENT_0").check()
    page.get_by_role("button", name="Enviar reporte").click()
    page.wait_for_selector("#codename")
    codename = page.inner_text("#codename").strip()
    spanish = codenames.words("es")
    assert len(codename.split()) == 6 and all(word in spanish for word in codename.split())
    assert page.get_attribute("#codename", "lang") == "es"
    assert "Gracias. Su reporte fue recibido." in page.inner_text("main")
    assert page.is_visible("#copy-codename") and page.is_visible("#print-page")
    tip = Tip.objects.get()
    assert tip.language == "es" and tip.checklist["RESTRICTED_MOVEMENT"] == "yes"

    services.message_reporter(_hotline_user(), tip, "Gracias. ¿En qué calle está la fábrica?", request_info=True)
    # Retyped as a person might on a phone: capitals, no accents.
    retyped = codename.upper().translate(str.maketrans("ÁÉÍÓÚ", "AEIOU"))
    _follow_up(page, "es", retyped)
    assert "¿En qué calle está la fábrica?" in page.inner_text("main")
    assert page.inner_text("#tip-status") == "Le pedimos más información"
    page.fill("#id_body", "Está en la calle Mayor, cerca del puente.")
    page.get_by_role("button", name="Enviar", exact=True).click()
    page.wait_for_selector("#added")
    assert tip.messages.filter(author="reporter").count() == 1


def test_report_in_arabic_is_laid_out_right_to_left(open_context, counties):
    page = open_context(locale="ar").new_page()
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto("/ar/report/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # Right to left: the heading starts at the right edge, the quick exit sits on the left.
    heading = page.locator("main h1").bounding_box()
    main = page.locator("main").bounding_box()
    assert heading["x"] + heading["width"] > main["x"] + main["width"] - 40
    exit_box = page.locator("#quick-exit").bounding_box()
    assert exit_box["x"] < 200
    label = page.locator("label[for=id_narrative]").bounding_box()
    field = page.locator("#id_narrative").bounding_box()
    assert label["x"] + label["width"] >= field["x"] + field["width"] - 30  # labels align right
    _fill_report(page, "امرأة تعمل في منزل ولا يسمح لها بالخروج.")
    page.get_by_role("button", name="إرسال البلاغ").click()
    page.wait_for_selector("#codename")
    assert "شكرًا لك. تم استلام بلاغك." in page.inner_text("main")
    assert re.fullmatch(r"\d{4}( \d{4}){4}", page.inner_text("#codename").strip())  # digits, read left to right
    assert page.evaluate("getComputedStyle(document.getElementById('codename')).direction") == "ltr"
    assert Tip.objects.get().language == "ar"


def test_quick_exit_by_escape_and_button_replaces_the_history_entry(open_context, counties):
    page = open_context().new_page()
    page.goto("/en/")
    page.goto("/en/signs/")
    page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL)
    page.go_back()
    page.wait_for_load_state()
    assert page.url.endswith("/en/")  # the signs page was replaced, not left in history

    page.goto("/en/rights/")
    page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url(NEUTRAL)
    page.go_back()
    page.wait_for_load_state()
    assert not page.url.endswith("/en/rights/")


def test_escape_in_the_narrative_keeps_the_text_and_a_second_escape_leaves(open_context, counties):
    page = open_context(locale="es-ES").new_page()
    page.goto("/es/")
    page.goto("/es/report/")
    page.fill("#id_narrative", "Mi jefe guarda mi pasaporte")
    page.focus("#id_narrative")
    page.keyboard.press("Escape")  # a reflex while typing: nothing is lost
    assert page.url.endswith("/es/report/")
    assert page.input_value("#id_narrative") == "Mi jefe guarda mi pasaporte"
    assert page.inner_text("#quick-exit-status") == "Presione Esc otra vez para salir de este sitio."
    page.keyboard.type(" y no me deja salir.")
    assert page.input_value("#id_narrative") == "Mi jefe guarda mi pasaporte y no me deja salir."
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")  # pressed twice on purpose: leave
    page.wait_for_url(NEUTRAL)
    page.go_back()
    page.wait_for_load_state()
    assert page.url.endswith("/es/")  # the form was replaced in history, not left behind


def test_the_escape_hint_shows_only_where_there_is_a_keyboard(open_context, counties, browser, live_server):
    desktop = open_context(locale="es-ES").new_page()
    desktop.goto("/es/")
    assert desktop.is_visible(".quick-exit-hint")
    phone = browser.new_context(
        base_url=live_server.url, locale="es-ES", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        page = phone.new_page()
        page.goto("/es/")
        assert page.is_visible("#quick-exit")  # the button is always there
        assert not page.is_visible(".quick-exit-hint")
        page.keyboard.press("Tab")  # a keyboard attached to the phone
        assert page.is_visible(".quick-exit-hint")
    finally:
        phone.close()


def test_the_portal_works_with_javascript_disabled(open_context, counties):
    page = open_context(locale="pl-PL", javascript=False).new_page()
    page.goto("/")
    assert page.url.endswith("/pl/")
    page.get_by_role("link", name="Español").click()
    assert page.url.endswith("/es/")
    page.goto("/pl/report/")
    _fill_report(page, "Pracownicy nie mogą wychodzić z budynku.")
    page.get_by_role("button", name="Wyślij zgłoszenie").click()
    page.wait_for_selector("#codename")
    codename = page.inner_text("#codename").strip()
    _follow_up(page, "pl", codename)
    assert "Otrzymane" in page.inner_text("#tip-status")
    page.goto("/pl/signs/")
    page.get_by_role("link", name="Szybkie wyjście").click()  # a real link without JavaScript
    page.wait_for_url(NEUTRAL)


def test_bad_input_is_explained_in_the_reporters_language(open_context, counties):
    page = open_context(locale="es-ES").new_page()
    page.goto("/es/report/")
    page.get_by_role("button", name="Enviar reporte").click()
    assert "Algunas respuestas necesitan su atención" in page.inner_text("#form-errors")
    assert "Por favor, complete este campo." in page.inner_text("#field-narrative")
    assert Tip.objects.count() == 0
