"""Accessibility checks that axe-core cannot make: what a screen-reader user hears for each
question, help text and errors, where focus goes after a failed submit, reflow on a narrow
phone, and a language menu that does not move on an arrow key.

Names and descriptions are the browser's own accessible-name computation (Playwright's role
queries and to_have_accessible_name/description), so they are what assistive technology gets.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.utils import translation
from playwright.sync_api import expect

from beacon.accounts.models import Agency, User
from beacon.accounts.roles import AgencyType, Role
from beacon.reference.models import County
from tests.browser.pages import (
    DUPLICATE_IDS,
    OVERFLOW,
    PORTAL_LANGUAGES,
    PORTAL_STATES,
    STAFF_ROLES,
    TEXT_SPACING,
    open_portal_state,
    staff_urls,
)
from tests.browser.sessions import sign_in
from tests.browser.test_insights_dashboard import analyst_page, signed_in_analyst  # noqa: F401 (fixtures)

DESCRIBED_BY_TARGETS = """() => {
  const missing = [];
  for (const el of document.querySelectorAll("[aria-describedby]")) {
    for (const id of el.getAttribute("aria-describedby").split(/\\s+/).filter(Boolean)) {
      if (!document.getElementById(id)) missing.push((el.id || el.tagName) + " -> " + id);
    }
  }
  return missing;
}"""


@pytest.fixture
def counties(transactional_db) -> Iterator[None]:
    from beacon.portal.views import clear_caches

    clear_caches()
    County.objects.create(fips="17031", name="Cook County", chicago_metro=True)
    County.objects.create(fips="17201", name="Winnebago County")
    yield
    clear_caches()


@pytest.fixture
def portal_page(browser, live_server):
    contexts = []

    def make(locale: str = "en-US", width: int = 1280, height: int = 800):
        context = browser.new_context(
            base_url=live_server.url, locale=locale, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _tip_form(lang: str):
    from beacon.portal.views import _tip_form as tip_form

    with translation.override(lang):
        form = tip_form()
        return [
            (
                field,
                str(field.label),
                str(field.help_text or ""),
                [str(label) for _v, label in getattr(field.field, "choices", ())],
            )
            for field in form
        ]


def _visible_fields(lang: str):
    return [f for f in _tip_form(lang) if not f[0].is_hidden]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_radio_group_is_a_group_named_by_its_question(portal_page, counties, lang):
    page = portal_page(locale=lang)
    page.goto(f"/{lang}/report/")
    radio_fields = [f for f in _visible_fields(lang) if f[0].use_fieldset]
    assert len(radio_fields) >= 13  # location, child involved, contact and the ten signs
    for field, question, _help, choices in radio_fields:
        group = page.get_by_role("group", name=question, exact=True)
        expect(group).to_have_count(1)
        radios = group.get_by_role("radio")
        expect(radios).to_have_count(len(choices))
        for index, choice in enumerate(choices):
            expect(radios.nth(index)).to_have_accessible_name(choice)
            expect(radios.nth(index)).to_have_id(f"{field.auto_id}_{index}")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_other_control_is_named_by_its_question_and_described_by_its_help(portal_page, counties, lang):
    page = portal_page(locale=lang)
    page.goto(f"/{lang}/report/")
    described = 0
    for field, question, help_text, _choices in _visible_fields(lang):
        if field.use_fieldset:
            if help_text:
                group = page.get_by_role("group", name=question, exact=True)
                expect(group).to_have_accessible_description(re.compile(re.escape(help_text)))
                described += 1
            continue
        control = page.locator(f"#{field.id_for_label}")
        expect(control).to_have_accessible_name(re.compile(re.escape(question)))
        if help_text:
            expect(control).to_have_accessible_description(re.compile(re.escape(help_text)))
            described += 1
    assert described >= 9
    assert page.evaluate(DESCRIBED_BY_TARGETS) == []


def test_codename_field_is_described_by_its_help(portal_page, counties):
    page = portal_page()
    page.goto("/en/report/follow-up/")
    expect(page.get_by_role("textbox", name="Your codename")).to_have_accessible_description(
        "The words or numbers you were given when you sent your report."
    )
    assert page.evaluate(DESCRIBED_BY_TARGETS) == []


def _assert_error_summary(page, count: int, title: str):
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    assert page.title().startswith(f"Answers to check: {count} – {title}")
    links = summary.get_by_role("link")
    expect(links).to_have_count(count)
    return links


def test_a_failed_tip_submit_focuses_the_summary_names_the_count_and_links_to_each_field(portal_page, counties):
    page = portal_page()
    page.goto("/en/report/")
    assert not page.title().startswith("Answers to check")
    expect(page.locator("#form-errors")).to_have_count(0)
    page.get_by_role("group", name="May we contact you?").get_by_role("radio", name="By phone").check()
    page.get_by_role("button", name="Send report").click()
    links = _assert_error_summary(page, 2, "Report what you saw")
    expect(links.nth(0)).to_have_text("What happened?: Please fill in this field.")
    expect(links.nth(1)).to_have_text(
        "Your phone number or e-mail address: Please give the phone number or e-mail address where we may contact you."
    )
    links.nth(0).click()
    expect(page.locator("#id_narrative")).to_be_focused()
    expect(page.locator("#id_narrative")).to_have_accessible_description(
        re.compile(r"Tell us what you saw.*Please fill in this field\.")
    )
    assert page.evaluate(DESCRIBED_BY_TARGETS) == []


def test_a_failed_codename_submit_focuses_the_summary(portal_page, counties):
    page = portal_page()
    page.goto("/en/report/follow-up/")
    page.get_by_role("button", name="Open my report").click()
    links = _assert_error_summary(page, 1, "I have a codename")
    links.nth(0).click()
    expect(page.locator("#id_codename")).to_be_focused()

    page.fill("#id_codename", "nobody has this codename at all")
    page.get_by_role("button", name="Open my report").click()
    expect(page.locator("#form-errors")).to_be_focused()
    assert page.title().startswith("Answers to check: 1 – ")
    expect(page.locator("#form-errors")).to_contain_text("We could not find a report with this codename.")


@pytest.fixture
def staff_page(browser, live_server, transactional_db):
    contexts = []

    def make(role, width: int = 1280, height: int = 800):
        agency, _ = Agency.objects.get_or_create(name="Lakeside Services", type=AgencyType.NGO)
        username = f"user-{role}-{len(contexts)}"
        user = User.objects.create_user(username=username, password="x" * 20, role=role, agency=agency)
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
        context.set_default_timeout(15000)
        sign_in(context, live_server, user)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_staff_forms_share_the_summary_groups_and_help(staff_page):
    page = staff_page(Role.SUPERVISOR)
    page.goto("/staff/directory/new/")
    services = page.get_by_role("group", name="Services offered", exact=True)
    expect(services.get_by_role("checkbox").first).to_be_visible()
    expect(page.get_by_role("textbox", name="Service subtypes")).to_have_accessible_description(
        re.compile("Optional, as service:subtype")
    )
    page.get_by_role("button", name="Save").click()
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    assert re.match(r"Answers to check: 2 – ", page.title()), page.title()
    links = summary.get_by_role("link")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_contain_text("Name:")
    expect(links.nth(1)).to_contain_text("Services offered:")
    links.nth(1).click()
    expect(page.locator("#id_services_0")).to_be_focused()
    expect(services).to_have_accessible_description(re.compile("required", re.I))
    assert page.evaluate(DESCRIBED_BY_TARGETS) == []


def _reporter_codename(page) -> str:
    open_portal_state(page, "report_received", "en")
    return page.inner_text("#codename").strip()


def test_no_portal_page_scrolls_sideways_at_320_px_in_any_language(portal_page, counties):
    """WCAG 1.4.10 reflow: 320 CSS px wide, every page state, every portal language, with the browser's
    default text spacing and with WCAG 1.4.12's (which also stands in for wider fonts than this machine has)."""
    page = portal_page(width=320, height=640)
    codename = _reporter_codename(page)
    failures = []
    for lang in PORTAL_LANGUAGES:
        for state in PORTAL_STATES:
            open_portal_state(page, state, lang, codename)
            for spacing in ("default spacing", "WCAG text spacing"):
                if spacing != "default spacing":
                    page.evaluate(TEXT_SPACING)
                result = page.evaluate(OVERFLOW)
                if result["extra"] > 0 or result["offenders"]:
                    failures.append(f"{lang} {state} ({spacing}): {result}")
    assert failures == [], "\n".join(failures)


@pytest.fixture
def seeded(transactional_db, monkeypatch):
    """The demo data set (small), and on SQLite one request at a time (see test_insights_dashboard)."""
    from django.core.management import call_command

    call_command("seed", "--cases", "6", "--tips", "3", "--posts", "20", stdout=io.StringIO())
    if connection.vendor == "sqlite":
        lock = threading.Lock()
        handle = WSGIHandler.__call__

        def one_at_a_time(self, environ, start_response):
            with lock:
                return handle(self, environ, start_response)

        monkeypatch.setattr(WSGIHandler, "__call__", one_at_a_time)


def _demo_staff_page(browser, live_server, username: str, width: int, height: int):
    user = User.objects.get(username=username)
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
    context.set_default_timeout(30000)
    sign_in(context, live_server, user)
    return user, context, context.new_page()


def test_staff_pages_keep_tables_in_their_own_scrolling_region_at_390_px_and_ids_unique(browser, live_server, seeded):
    failures = []
    for username in STAFF_ROLES:
        user, context, page = _demo_staff_page(browser, live_server, username, 390, 844)
        for url in staff_urls(user):
            page.goto(url)
            page.wait_for_load_state("networkidle")
            result = page.evaluate(OVERFLOW)
            if result["extra"] > 0 or result["offenders"]:
                failures.append(f"{username} {url}: {result}")
            duplicates = page.evaluate(DUPLICATE_IDS)
            if duplicates:
                failures.append(f"{username} {url}: duplicate ids {duplicates}")
            for region in page.locator(".table-scroll").all():
                assert region.get_attribute("tabindex") == "0", url  # keyboard users can scroll it
        context.close()
    assert failures == [], "\n".join(failures)


def test_the_staff_language_menu_does_not_navigate_on_arrow_keys(browser, live_server, seeded):
    _user, context, page = _demo_staff_page(browser, live_server, "caseworker", 1280, 800)
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "/i18n/setlang/" in r.url else None)
    page.goto("/staff/")
    menu = page.get_by_label("Language", exact=True)
    menu.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert menu.input_value() != "en"  # the arrow keys did move the choice
    chosen = menu.input_value()
    with page.expect_navigation():
        page.locator(".language-switch").get_by_role("button", name="Change").click()
    assert len(posts) == 1  # only the button sent it
    assert page.locator("html").get_attribute("lang") == chosen
    context.close()


def test_portal_quick_exit_is_inside_a_landmark(portal_page, counties):
    page = portal_page()
    page.goto("/en/")
    landmark = page.evaluate(
        "() => { const el = document.getElementById('quick-exit').closest("
        "'header, nav, main, footer, aside, [role=banner], [role=navigation], [role=main], [role=region]');"
        " return el ? el.tagName.toLowerCase() : null; }"
    )
    assert landmark == "header"
    assert page.locator("header").count() == 1


def test_chart_keeps_its_text_alternative_and_hides_the_drawing(analyst_page):  # noqa: F811 (fixture)
    page = analyst_page
    page.goto("/staff/insights/")
    gender = page.locator("#panel-cases_gender")
    gender.locator("table").wait_for(timeout=60000)
    chart = gender.locator("[data-vega-state=rendered]")
    chart.locator("svg").wait_for()
    expect(chart).to_have_attribute("role", "img")
    expect(chart).to_have_accessible_name(re.compile(r"^Chart: .*The same figures are in the table below\.$"))
    expect(chart.locator("svg")).to_have_attribute("aria-hidden", "true")
    snapshot = gender.aria_snapshot()
    assert "0.000000" not in snapshot and "graphics" not in snapshot, snapshot
    expect(gender.get_by_role("table")).to_have_count(1)  # the figures stay in a table
