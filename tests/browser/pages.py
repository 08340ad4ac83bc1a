"""Every page state the accessibility checks visit: the portal's pages (with the tip form's
error and acknowledgement states and the reporter's own report) and every staff page a role
can open. Shared by the axe-core run and the checks axe cannot make."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

PORTAL_LANGUAGES = [code for code, _name in settings.LANGUAGES]

# (page name, how to reach it): "get" opens the URL, the others are steps in a browser.
PORTAL_PAGES = [
    "landing",
    "signs",
    "rights",
    "workers",
    "young_people",
    "how_to_report",
    "find_help",
    "statistics",
    "report",
    "follow_up",
]
PORTAL_STATES = [*PORTAL_PAGES, "report_errors", "report_received", "follow_up_unknown", "follow_up_tip"]

# Sideways scrolling: how far the page is wider than the viewport, and the elements that stick out.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    let clipped = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.overflowX !== "visible" && style.overflowX !== "clip") { clipped = true; break; }
    }
    const position = getComputedStyle(el).position;
    // Off-screen until focused (the skip link) is a technique, not overflow.
    const parked = (position === "absolute" || position === "fixed") && (box.right <= 0 || box.left >= width);
    if (clipped || parked) continue;
    if (box.right > width + 1 || box.left < -1) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : "");
      out.push(name + " [" + Math.round(box.left) + ", " + Math.round(box.right) + "]");
    }
  }
  return {extra: document.documentElement.scrollWidth - width, offenders: out.slice(0, 8)};
}"""


# WCAG 1.4.12 text spacing, set through the CSSOM (the app's CSP forbids injected <style> elements
# and style attributes, not script setting style properties). Text that fits only with the
# browser's default spacing and this machine's fonts fits nowhere else.
TEXT_SPACING = """() => {
  for (const el of document.querySelectorAll("body, body *")) {
    el.style.setProperty("letter-spacing", "0.12em", "important");
    el.style.setProperty("word-spacing", "0.16em", "important");
    el.style.setProperty("line-height", "1.5", "important");
  }
  for (const el of document.querySelectorAll("p")) el.style.setProperty("margin-bottom", "2em", "important");
}"""


def portal_url(name: str, lang: str) -> str:
    with translation.override(lang):
        return reverse(f"portal:{name}")


def open_portal_state(page, state: str, lang: str, codename: str | None = None) -> None:
    """Bring `page` to a portal page state in `lang` (the tip-form states submit the form)."""
    if state in PORTAL_PAGES:
        page.goto(portal_url(state, lang))
    elif state == "report_errors":
        page.goto(portal_url("report", lang))
        page.locator("#send-report").click()
        page.wait_for_selector("#form-errors")
    elif state == "report_received":
        page.goto(portal_url("report", lang))
        page.fill("#id_narrative", "Workers sleep at the factory and cannot leave.")
        page.locator("#send-report").click()
        page.wait_for_selector("#codename")
    elif state == "follow_up_unknown":
        page.goto(portal_url("follow_up", lang))
        page.fill("#id_codename", "no report has this codename")
        page.locator("main form button[type=submit]").click()
        page.wait_for_selector("#form-errors")
    elif state == "follow_up_tip":
        assert codename, "the reporter's page needs a codename"
        page.goto(portal_url("follow_up", lang))
        page.fill("#id_codename", codename)
        page.locator("main form button[type=submit]").click()
        page.wait_for_selector("#tip-status")
    else:
        raise ValueError(state)
    # The selector appears as the new document is parsed, before its stylesheet applies; measure
    # the page a reader sees, once it has loaded.
    page.wait_for_load_state("load")


# One demo account per staff role (beacon.demo.seeding.USERS), and "sheriff": an investigator at a second
# law-enforcement agency, so matter pages are seen from two agencies.
STAFF_ROLES = [
    "admin",
    "agencyadmin",
    "hotline",
    "caseworker",
    "supervisor",
    "investigator",
    "analyst",
    "sheriff",
    "prosecutor",
    "coordinator",
]

DUPLICATE_IDS = """() => {
  const seen = {}, twice = new Set();
  for (const el of document.querySelectorAll("[id]")) { if (seen[el.id]) twice.add(el.id); seen[el.id] = true; }
  return [...twice];
}"""


def staff_urls(user) -> list[str]:
    """Every staff page `user` reaches from the main menu, and the detail pages of the first
    record of each kind (a role the policy keeps out sees the styled refusal page, also checked)."""
    from beacon.cases.models import Case, Referral
    from beacon.directory.models import Provider
    from beacon.intel.models import Network
    from beacon.screening.models import Screening
    from beacon.tips.models import Tip
    from beacon.web import navigation

    urls = ["/staff/", *(str(item["url"]) for item in navigation.items_for(user))]
    for model, prefix in (
        (Tip, "/staff/tips/"),
        (Case, "/staff/cases/"),
        (Referral, "/staff/cases/referrals/"),
        (Screening, "/staff/screening/"),
        (Network, "/staff/intel/networks/"),
        (Provider, "/staff/directory/"),
    ):
        first = model.objects.order_by("pk").first()
        if first is not None:
            urls.append(f"{prefix}{first.public_id}/")
    return list(dict.fromkeys(urls))
