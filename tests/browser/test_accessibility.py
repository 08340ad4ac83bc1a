"""Accessibility checks that axe-core cannot make: what a screen-reader user hears for each
question, help text and errors, where focus goes after a failed submit, reflow on a narrow
phone, and a language menu that does not move on an arrow key.

Names and descriptions are the browser's own accessible-name computation (Playwright's role
queries and to_have_accessible_name/description), so they are what assistive technology gets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.utils import translation
from playwright.sync_api import expect

from beacon.accounts.models import Agency, User
from beacon.accounts.roles import AgencyType, Role
from beacon.reference.models import County
from tests.browser.sessions import sign_in

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
