"""Urgency: a transparent score for the triage queue, with the reason for every point.

The score falls in bands that never overlap, so a tier always outranks the tiers below it:

- **Immediate** (300 and more): someone is in danger now (+300).
- **Very high** (200-299): a child in commercial sex. A minor in commercial sex is a victim of a
  severe form of trafficking by definition, with no means needed (22 U.S.C. 7102(11)(A); see
  shared/domain/screening.md section 4), so such a tip is never routine: it is raised to 200
  whatever number of signs is ticked, and the reasons name the DCFS hotline step.
- Below 200, points add up (at most 196, so the tiers stay apart):
  a child involved (45); ongoing control: documents held, debt, locked in, violence or threats,
  someone controlling the person's life (10 each, at most 40; half when the events are not
  recent); the red-flag checklist graded by the screening engine's `community-red-flags`
  instrument (high 40, elevated 25, low 10) plus 2 for every sign answered "yes" (at most 16);
  how recent the events are (up to 25); new information from the reporter in the last 7 days
  (8); a report by the person it happened to (12); in Illinois (10).

Levels for people: immediate >= 300, very high >= 200, high >= 100, medium >= 50, else routine.
Reasons are stored as codes with points (no personal data) and translated when shown.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from beacon.screening.engine import evaluate, get_instrument
from beacon.screening.engine.i18n import localize

logger = logging.getLogger(__name__)

INSTRUMENT_ID = "community-red-flags"

DANGER_NOW = 300
CHILD_COMMERCIAL_SEX_FLOOR = 200
CHILD = 45
CONTROL_SIGNS = ("NO_CONTROL_OF_DOCUMENTS", "DEBT", "RESTRICTED_MOVEMENT", "PHYSICAL_ABUSE", "NO_CONTROL_OF_LIFE")
CONTROL_EACH = 10
CONTROL_CAP = 40
SIGN_EACH = 2
SIGNS_CAP = 16
RED_FLAG_DEFAULT_WEIGHT = 5  # only when the instrument is unavailable
RED_FLAGS_CAP = 40
RECENCY = {"now": 25, "day": 20, "week": 12, "month": 5}
ONGOING_WHEN = ("now", "day", "week")
FOLLOW_UP = 8
FOLLOW_UP_WINDOW = dt.timedelta(days=7)
SELF_REPORT = 12
ILLINOIS = 10
SEXUAL_TYPES = frozenset({"SexualExploitation"})

LEVELS = (
    ("immediate", 300, _("Immediate")),
    ("very_high", 200, _("Very high")),
    ("high", 100, _("High")),
    ("medium", 50, _("Medium")),
    ("routine", 0, _("Routine")),
)

REASON_LABELS: dict[str, Any] = {
    "danger_now": _("Someone is in danger now"),
    "child_commercial_sex": _(
        "A child in commercial sex: never routine; report to the DCFS hotline 1-800-25-ABUSE (1-800-252-2873)"
    ),
    "child": _("A child (under 18) is involved"),
    "control": _("Ongoing control"),
    "red_flags": _("Red flags on the checklist"),
    "signs": _("Number of signs answered yes"),
    "recent": _("Recent events"),
    "follow_up": _("New information from the reporter"),
    "self_report": _("Reported by the person it happened to"),
    "illinois": _("In Illinois"),
}

CONTROL_LABELS: dict[str, Any] = {
    "NO_CONTROL_OF_DOCUMENTS": _("documents held"),
    "DEBT": _("debt"),
    "RESTRICTED_MOVEMENT": _("locked in or watched"),
    "PHYSICAL_ABUSE": _("violence or threats"),
    "NO_CONTROL_OF_LIFE": _("someone controls their life, money or phone"),
}


def level(points: int) -> str:
    for code, floor, _label in LEVELS:
        if points >= floor:
            return code
    return "routine"


def level_label(points: int) -> str:
    code = level(points)
    return str(next(label for c, _f, label in LEVELS if c == code))


def level_range(code: str) -> tuple[int, int | None]:
    """[low, high) of a level's band, for filtering the queue in the database."""
    floors = {c: f for c, f, _label in LEVELS}
    order = [c for c, _f, _label in LEVELS]
    i = order.index(code)
    return floors[code], (floors[order[i - 1]] if i > 0 else None)


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str


def _instrument() -> Any | None:
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
    items = []
    for item in instrument.items:
        text = getattr(item, "question", None) or item.text
        items.append(ChecklistItem(item.id, localize(text, language)))
    return items


# Points for the instrument's urgency level (its own grading of the answers given).
LEVEL_POINTS = {"high": 40, "elevated": 25, "low": 10, "none": 0}


def grade_checklist(checklist: Mapping[str, str], *, child: bool, sexual: bool = False) -> tuple[str, int] | None:
    """(level, instrument score) from the community red-flag instrument; None when it is unavailable."""
    instrument = _instrument()
    if instrument is None:
        return None
    population = ("child-" if child else "adult-") + ("sexual" if sexual else "labour")
    if population not in instrument.plans:
        population = "child-labour" if child else "adult-labour"
    plan_items = instrument.plans[population].item_ids
    answers = {k: v for k, v in checklist.items() if k in plan_items and v in ("yes", "no", "unknown")}
    try:
        result = evaluate(instrument, population, answers)
    except Exception:
        logger.warning("screening evaluation failed for %s", INSTRUMENT_ID)
        return None
    return result.determination, result.score


@dataclass(frozen=True)
class Signals:
    """What the score reads from a tip (codes and flags only)."""

    danger_now: bool = False
    child_involved: str = "unknown"
    checklist: Mapping[str, str] = field(default_factory=dict)
    when: str = "unknown"
    in_illinois: bool = False
    exploitation_types: Sequence[str] = ()
    self_report: bool = False
    last_follow_up: dt.datetime | None = None  # the reporter's latest added information
    now: dt.datetime | None = None


def score(signals: Signals) -> tuple[int, list[list[Any]]]:
    s = signals
    reasons: list[list[Any]] = []
    child = s.child_involved == "yes"
    sexual = bool(SEXUAL_TYPES & set(s.exploitation_types))
    now = s.now or dt.datetime.now(dt.UTC)
    follow_up = s.last_follow_up is not None and now - s.last_follow_up <= FOLLOW_UP_WINDOW
    if s.danger_now:
        reasons.append(["danger_now", DANGER_NOW])
    if child:
        reasons.append(["child", CHILD])
    yes = [item_id for item_id, answer in s.checklist.items() if answer == "yes"]
    control = [item for item in CONTROL_SIGNS if s.checklist.get(item) == "yes"]
    if control:
        ongoing = s.when in ONGOING_WHEN or follow_up
        points = min(CONTROL_CAP, CONTROL_EACH * len(control))
        reasons.append(["control", points if ongoing else points // 2, control, ongoing])
    if yes:
        graded = grade_checklist(s.checklist, child=child, sexual=sexual)
        if graded is not None:
            grade, instrument_score = graded
            reasons.append(["red_flags", LEVEL_POINTS.get(grade, 0), len(yes), grade, instrument_score])
        else:  # the instrument is not installed: count the signs
            reasons.append(["red_flags", min(RED_FLAGS_CAP, RED_FLAG_DEFAULT_WEIGHT * len(yes)), len(yes)])
        reasons.append(["signs", min(SIGNS_CAP, SIGN_EACH * len(yes)), len(yes)])
    if s.when in RECENCY:
        reasons.append(["recent", RECENCY[s.when]])
    if follow_up:
        reasons.append(["follow_up", FOLLOW_UP])
    if s.self_report:
        reasons.append(["self_report", SELF_REPORT])
    if s.in_illinois:
        reasons.append(["illinois", ILLINOIS])
    total = sum(int(r[1]) for r in reasons)
    if child and sexual and total < CHILD_COMMERCIAL_SEX_FLOOR:
        reasons.insert(0, ["child_commercial_sex", CHILD_COMMERCIAL_SEX_FLOOR - total])
        total = CHILD_COMMERCIAL_SEX_FLOOR
    elif child and sexual:
        reasons.insert(0, ["child_commercial_sex", 0])
    return total, reasons


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
        elif code in ("red_flags", "signs") and len(reason) >= 3:
            extra = " " + str(_("(%(count)s signs)")) % {"count": reason[2]}
        elif code == "control" and len(reason) >= 4:
            signs = ", ".join(str(CONTROL_LABELS.get(c, c)) for c in reason[2])
            extra = f" ({signs})" if reason[3] else " " + str(_("(%(signs)s; not recent: half)")) % {"signs": signs}
        out.append(f"{label}{extra}: +{points}" if points else f"{label}{extra}")
    return out
