"""axe-core for the browser tests: the vendored, pinned copy (vendor/axe-core/README.md), injected
into each test page without touching the app's Content-Security-Policy.

The app forbids inline script, so `page.add_script_tag(content=...)` would be refused. The script
is given to the browser through DevTools instead (`context.add_init_script`, CDP's
Page.addScriptToEvaluateOnNewDocument), which the page's CSP does not govern: the app's own
headers and scripts stay exactly as a visitor gets them, and `axe_context` checks that the CSP
header is still there on every page it audits.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

VENDOR = Path(__file__).parent / "vendor" / "axe-core"
AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"

# WCAG 2.0 and 2.1, levels A and AA: the target in docs/accessibility.md.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_source() -> str:
    source = (VENDOR / "axe.min.js").read_bytes()
    digest = hashlib.sha256(source).hexdigest()
    assert digest == AXE_SHA256, f"vendor/axe-core/axe.min.js is not the pinned axe-core {AXE_VERSION} ({digest})"
    return source.decode()


def install(context) -> None:
    """Make axe available in every page `context` opens (before the page's own scripts run)."""
    context.add_init_script(script=axe_source())


RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
    count: v.nodes.length,
  }));
}"""


def violations(page) -> list[str]:
    """axe's WCAG 2.0/2.1 A and AA violations on the page as it is now, one line per rule."""
    found = page.evaluate(RUN, WCAG_TAGS)
    lines = []
    for v in found:
        where = "; ".join(f"{n['target']} ({' '.join(n['summary'].split())})" for n in v["nodes"])
        lines.append(f"{v['id']} [{v['impact']}] {v['help']}: {v['count']} element(s): {where}")
    return lines
