"""axe-core (WCAG 2.0/2.1, A and AA) on every portal page state in every portal language at 320,
390 and 1280 px, and on every staff page each demo role can open, at 1280 and 390 px.

One test per language and one per role, so pytest-xdist spreads them over the cores. Each page
state is loaded once and audited at each width (the viewport is resized, so media queries apply
as they would on that screen). Any violation fails the test, listing the rule and the elements.
"""

from __future__ import annotations

import pytest

from tests.browser import axe
from tests.browser.pages import PORTAL_LANGUAGES, PORTAL_STATES, STAFF_ROLES, open_portal_state, staff_urls
from tests.browser.sessions import sign_in
from tests.browser.test_accessibility import counties, seeded  # noqa: F401 (fixtures)

PORTAL_WIDTHS = [320, 390, 1280]
STAFF_WIDTHS = [1280, 390]
HEIGHT = {320: 640, 390: 844, 1280: 800}

# {% scrolltable %} regions: role=region, focusable, and a name (axe does not ask a region for one).
UNNAMED_SCROLLERS = """() => [...document.querySelectorAll(".table-scroll")]
  .filter((el) => el.getAttribute("role") !== "region" || !(el.getAttribute("aria-label") || "").trim()
                  || el.getAttribute("tabindex") !== "0")
  .map((el) => el.outerHTML.slice(0, 120))"""


def _audit(page, where: str, widths: list[int], failures: list[str]) -> None:
    for width in widths:
        page.set_viewport_size({"width": width, "height": HEIGHT[width]})
        failures.extend(f"{where} at {width} px: {line}" for line in axe.violations(page))


def _csp_of(response) -> str:
    return (response.headers if response is not None else {}).get("content-security-policy", "")


@pytest.mark.parametrize("lang", PORTAL_LANGUAGES)
def test_axe_finds_no_wcag_violation_on_any_portal_page(browser, live_server, counties, lang):  # noqa: F811
    context = browser.new_context(base_url=live_server.url, locale=lang, viewport={"width": 320, "height": 640})
    context.set_default_timeout(15000)
    axe.install(context)
    page = context.new_page()
    csp = []
    page.on("response", lambda r: csp.append(_csp_of(r)) if r.request.resource_type == "document" else None)
    failures: list[str] = []
    codename = None
    try:
        for state in PORTAL_STATES:
            page.set_viewport_size({"width": 320, "height": 640})
            csp.clear()
            open_portal_state(page, state, lang, codename)
            assert csp and all("script-src 'self'" in c for c in csp), (state, csp)  # the app's CSP, untouched
            if state == "report_received":
                codename = page.inner_text("#codename").strip()
            _audit(page, f"{lang} {state}", PORTAL_WIDTHS, failures)
    finally:
        context.close()
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("username", STAFF_ROLES)
def test_axe_finds_no_wcag_violation_on_any_staff_page(browser, live_server, seeded, username):  # noqa: F811
    from beacon.accounts.models import User

    user = User.objects.get(username=username)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(30000)
    sign_in(context, live_server, user)
    axe.install(context)
    page = context.new_page()
    failures: list[str] = []
    try:
        for url in staff_urls(user):
            page.set_viewport_size({"width": 1280, "height": 800})
            response = page.goto(url)
            assert "script-src 'self'" in _csp_of(response), url
            page.wait_for_load_state("networkidle")
            _audit(page, f"{username} {url}", STAFF_WIDTHS, failures)
            unnamed = page.evaluate(UNNAMED_SCROLLERS)
            if unnamed:
                failures.append(f"{username} {url}: table scrollers without a named region: {unnamed}")
    finally:
        context.close()
    assert failures == [], "\n".join(failures)
