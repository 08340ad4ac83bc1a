"""Urgency: a transparent score for the triage queue, with the reason for every point.

danger now (100) > a child involved (50) > red flags graded by the screening engine's
`community-red-flags` instrument (high 40, elevated 25, low 10) > how recent the events are (up to
20) > whether they happened in Illinois (10). Reasons are stored
as codes with points (no personal data) and translated when shown.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

INSTRUMENT_ID = "community-red-flags"

DANGER_NOW = 100
CHILD = 50
RED_FLAG_DEFAULT_WEIGHT = 5  # only when the instrument is unavailable
RED_FLAGS_CAP = 40
RECENCY = {"now": 20, "day": 20, "week": 10, "month": 5}
ILLINOIS = 10

REASON_LABELS: dict[str, Any] = {
    "danger_now": _("Someone is in danger now"),
    "child": _("A child (under 18) is involved"),
    "red_flags": _("Red flags on the checklist"),
    "recent": _("Recent events"),
    "illinois": _("In Illinois"),
}


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str


def _instrument() -> Any | None:
    try:
        from beacon.screening.engine import get_instrument
    except ImportError:
        return None
    try:
        return get_instrument(INSTRUMENT_ID)
    except Exception:  # the instrument may not be installed yet
        logger.warning("screening instrument %s is not available", INSTRUMENT_ID)
        return None


def checklist_items(language: str) -> list[ChecklistItem]:
    """The community red-flag questions in `language` (English when a text is missing)."""
    instrument = _instrument()
    if instrument is None:
        return []
    from beacon.screening.engine.i18n import localize

    items = []
    for item in instrument.items:
        text = getattr(item, "question", None) or item.text
        items.append(ChecklistItem(item.id, localize(text, language)))
    return items


# Points for the instrument's urgency level (its own grading of the answers given).
LEVEL_POINTS = {"high": 40, "elevated": 25, "low": 10, "none": 0}


def grade_checklist(checklist: Mapping[str, str], *, child: bool) -> tuple[str, int] | None:
    """(level, instrument score) from the community red-flag instrument; None when it is unavailable."""
    instrument = _instrument()
    if instrument is None:
        return None
    from beacon.screening.engine import evaluate

    population = "child-labour" if child else "adult-labour"
    plan_items = instrument.plans[population].item_ids
    answers = {k: v for k, v in checklist.items() if k in plan_items and v in ("yes", "no", "unknown")}
    try:
        result = evaluate(instrument, population, answers)
    except Exception:
        logger.warning("screening evaluation failed for %s", INSTRUMENT_ID)
        return None
    return result.determination, result.score


def score(
    *, danger_now: bool, child_involved: str, checklist: Mapping[str, str], when: str, in_illinois: bool
) -> tuple[int, list[list[Any]]]:
    reasons: list[list[Any]] = []
    if danger_now:
        reasons.append(["danger_now", DANGER_NOW])
    if child_involved == "yes":
        reasons.append(["child", CHILD])
    yes = [item_id for item_id, answer in checklist.items() if answer == "yes"]
    if yes:
        graded = grade_checklist(checklist, child=child_involved == "yes")
        if graded is not None:
            level, instrument_score = graded
            reasons.append(["red_flags", LEVEL_POINTS.get(level, 0), len(yes), level, instrument_score])
        else:  # the instrument is not installed: count the signs
            reasons.append(["red_flags", min(RED_FLAGS_CAP, RED_FLAG_DEFAULT_WEIGHT * len(yes)), len(yes)])
    if when in RECENCY:
        reasons.append(["recent", RECENCY[when]])
    if in_illinois:
        reasons.append(["illinois", ILLINOIS])
    return sum(int(r[1]) for r in reasons), reasons


def describe(reasons: list[list[Any]]) -> list[str]:
    """Reasons as sentences for staff (translated in the current language)."""
    out = []
    for reason in reasons:
        code, points = reason[0], reason[1]
        label = str(REASON_LABELS.get(code, code))
        extra = ""
        if code == "red_flags" and len(reason) >= 5:
            extra = " " + str(_("(%(count)s signs, level %(level)s, instrument score %(score)s)")) % {
                "count": reason[2],
                "level": reason[3],
                "score": reason[4],
            }
        elif code == "red_flags" and len(reason) >= 3:
            extra = " " + str(_("(%(count)s signs)")) % {"count": reason[2]}
        out.append(f"{label}{extra}: +{points}" if points else f"{label}{extra}")
    return out
