"""Writes for screenings. Each use case checks the access policy and writes the audit log.

The engine (``beacon.screening.engine``) does the evaluating; this module stores what it needs to
evaluate again: instrument id, version and file digest, population, context flags and answers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from beacon.access.policy import AccessDenied, Action, can, require
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.screening.engine import (
    ANSWERS,
    Instrument,
    ScreeningContext,
    ScreeningInputError,
    ScreeningResult,
    evaluate,
    get_instrument,
)
from beacon.screening.models import Interpreter, Mode, Screening, Status
from beacon.tips.models import Tip

CLEAR = ""  # a posted empty answer takes the item back to "not asked"


class ScreeningFinished(ValidationError):
    """A finished screening is a record of what was asked; re-screening makes a new one."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "This screening is finished and can no longer be changed. Start a new screening "
                "to screen the person again."
            )
        )


@lru_cache(maxsize=32)
def _file_digest(path: str, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def instrument_digest(instrument: Instrument) -> str:
    """SHA-256 of the instrument file, so an edit without a version bump is still noticed."""
    path = Path(instrument.path)
    try:
        return _file_digest(str(path), path.stat().st_mtime_ns)
    except OSError:
        return ""


def load(instrument_id: str, population: str) -> Instrument:
    """The instrument, checked to support `population` (ScreeningInputError says what is wrong)."""
    instrument = get_instrument(instrument_id)
    instrument.plan(population)
    return instrument


def context_of(screening: Screening) -> ScreeningContext:
    return ScreeningContext(
        immediate_danger=screening.immediate_danger, minor=screening.minor, foreign_national=screening.foreign_national
    )


def evaluate_screening(screening: Screening, instrument: Instrument | None = None) -> ScreeningResult:
    instrument = instrument or get_instrument(screening.instrument_id)
    return evaluate(instrument, screening.population, dict(screening.answers or {}), context_of(screening))


def _subject_agency_id(actor: Any, case: Any, tip: Any) -> int | None:
    if case is not None:
        # A receiving agency screening a case shared with it keeps its own record (and its own notes).
        if actor.agency_id and case.agency_id != actor.agency_id:
            return actor.agency_id
        return case.agency_id
    if tip is not None and tip.agency_id:
        return tip.agency_id
    return actor.agency_id


def _check_subject(actor: Any, case: Any, tip: Any) -> None:
    if case is None and tip is None:
        raise ValidationError(_("A screening is made from a case or a tip: choose one."))
    if case is not None and not can(actor, Action.VIEW, "case", case):
        raise AccessDenied("the case is not visible to this user")
    if tip is not None and not can(actor, Action.VIEW, "tip", tip):
        raise AccessDenied("the tip is not visible to this user")


def _validate_answers(instrument: Instrument, population: str, answers: Mapping[str, Any]) -> dict[str, str]:
    """Answers as stored: known items only, each yes / no / unknown / declined or "" (clear)."""
    if not isinstance(answers, Mapping):
        raise ScreeningInputError("answers must be a mapping of item ID to yes, no, unknown or declined")
    plan = instrument.plan(population)
    unknown_items = sorted(str(item) for item in answers if item not in plan.item_ids)
    if unknown_items:
        raise ScreeningInputError(
            f"unknown item IDs for instrument {instrument.id!r}, population {population!r}: {', '.join(unknown_items)}"
        )
    bad = sorted(f"{item}: {value!r}" for item, value in answers.items() if value not in (*ANSWERS, CLEAR))
    if bad:
        raise ScreeningInputError(f"invalid answers {', '.join(bad)} (allowed: {', '.join(ANSWERS)})")
    return {str(item): str(value) for item, value in answers.items()}


RED_FLAGS = "community-red-flags"


def _tips_of(case: Any, tip: Any) -> list[Tip]:
    if tip is not None:
        return [tip]
    if case is not None:
        return list(case.tips.only("checklist"))
    return []


def signs_from_tips(instrument: Instrument, population: str, tips: Iterable[Tip]) -> dict[str, list[str]]:
    """Item id -> the tip signs answered yes that map to it (each red-flag sign names its ILO/EC
    indicators in ``maps_to``), for the items of this instrument and population."""
    if instrument.id == RED_FLAGS:
        return {}
    signs = get_instrument(RED_FLAGS)
    item_ids = instrument.plan(population).item_ids
    found: dict[str, list[str]] = {}
    for tip in tips:
        for sign_id, answer in (tip.checklist or {}).items():
            sign = signs.items_by_id.get(sign_id)
            if answer != "yes" or sign is None:
                continue
            for target in sign.maps_to:
                instrument_id, _sep, item_id = target.partition(":")
                if instrument_id == instrument.id and item_id in item_ids and sign_id not in found.get(item_id, []):
                    found.setdefault(item_id, []).append(sign_id)
    return found


@transaction.atomic
def start_screening(
    actor: Any,
    *,
    instrument_id: str,
    population: str,
    case: Any = None,
    tip: Any = None,
    language: str = "en",
    mode: str = Mode.ONE_AT_A_TIME,
    immediate_danger: bool = False,
    minor: bool = False,
    foreign_national: bool = False,
    request_key: str = "",
) -> Screening:
    """Open a screening of the person in `case` (or described in `tip`). Same request_key, same record."""
    instrument = load(instrument_id, population)
    require(actor, Action.CREATE, "screening")
    _check_subject(actor, case, tip)
    if request_key:
        existing = Screening.objects.filter(screener=actor, request_key=request_key).first()
        if existing is not None:
            return existing
    agency_id = _subject_agency_id(actor, case, tip)
    if agency_id is None:
        raise ValidationError(_("Only staff of an agency can screen."))
    screening = Screening(
        case=case,
        tip=tip,
        agency_id=agency_id,
        screener=actor,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        instrument_digest=instrument_digest(instrument),
        population=population,
        language=language or "en",
        mode=mode or Mode.ONE_AT_A_TIME,
        immediate_danger=immediate_danger,
        minor=minor,
        foreign_national=foreign_national,
        answers={},
        tip_signs=signs_from_tips(instrument, population, _tips_of(case, tip)),
        request_key=request_key[:64],
    )
    require(actor, Action.CREATE, "screening", screening)
    try:
        with transaction.atomic():
            screening.save()
    except IntegrityError:
        # A concurrent request with the same key won the race: return its record.
        existing = Screening.objects.filter(screener=actor, request_key=request_key).first()
        if existing is None:
            raise
        return existing
    record(actor, AuditAction.CREATE, screening, reason="screening started")
    return screening


def _locked(actor: Any, screening: Screening) -> Screening:
    """The row, locked for this transaction, after checking it may still be changed by `actor`."""
    locked = Screening.objects.select_for_update(of=("self",)).select_related("case").get(pk=screening.pk)
    require(actor, Action.UPDATE, "screening", locked)
    if locked.is_completed:
        raise ScreeningFinished()
    return locked


def _save(screening: Screening, locked: Screening, fields: list[str]) -> None:
    """Write `fields` and bump the version; the caller's object follows the stored state."""
    locked.version = F("version") + 1
    locked.save(update_fields=[*fields, "version", "updated_at"])
    locked.refresh_from_db(fields=["version", "updated_at"])
    for name in (*fields, "version", "updated_at"):
        setattr(screening, name, getattr(locked, name))


@transaction.atomic
def save_answers(
    actor: Any, screening: Screening, answers: Mapping[str, Any], *, position: int | None = None
) -> Screening:
    """Merge `answers` into the stored ones (an empty value clears an item), under a row lock.

    Merging item by item means two saves at once (two tabs, an autosave and a click) never drop
    each other's answers.
    """
    locked = _locked(actor, screening)
    instrument = load(locked.instrument_id, locked.population)
    cleaned = _validate_answers(instrument, locked.population, answers)
    stored = dict(locked.answers or {})
    for item, value in cleaned.items():
        if value == CLEAR:
            stored.pop(item, None)
        else:
            stored[item] = value
    locked.answers = stored
    fields = ["answers"]
    if position is not None:
        total = len(instrument.plan(locked.population).items)
        locked.position = max(0, min(position, total))
        fields.append("position")
    _save(screening, locked, fields)
    record(actor, AuditAction.UPDATE, locked, reason="answers saved")
    return screening


@dataclass(frozen=True)
class SafetyStep:
    """The safety and consent step as one value: what a one-step screening (the API) must carry."""

    safe_to_talk: bool
    interpreter: str = ""
    confidentiality_explained: bool = False
    right_to_stop_explained: bool = False
    agreed_to_continue: bool = False


@transaction.atomic
def record_safety_step(
    actor: Any,
    screening: Screening,
    *,
    safe_to_talk: bool,
    interpreter: str = "",
    confidentiality_explained: bool = False,
    right_to_stop_explained: bool = False,
    agreed_to_continue: bool = False,
) -> Screening:
    """Record the safety and consent step. "Not safe to talk" is recorded too, and no question follows."""
    if safe_to_talk:
        if interpreter not in Interpreter.values:
            raise ValidationError(
                _(
                    "Say whether an interpreter is needed; only an independent interpreter may "
                    "interpret, never the person who brought them."
                )
            )
        if not (confidentiality_explained and right_to_stop_explained and agreed_to_continue):
            raise ValidationError(
                _(
                    "Before the questions, explain the limits of confidentiality and the right to "
                    "stop, and ask whether the person agrees to continue."
                )
            )
    locked = _locked(actor, screening)
    locked.safe_to_talk = bool(safe_to_talk)
    locked.interpreter = interpreter if safe_to_talk else ""
    locked.confidentiality_explained = bool(safe_to_talk and confidentiality_explained)
    locked.right_to_stop_explained = bool(safe_to_talk and right_to_stop_explained)
    locked.agreed_to_continue = bool(safe_to_talk and agreed_to_continue)
    locked.safety_checked_at = timezone.now()
    _save(
        screening,
        locked,
        [
            "safe_to_talk",
            "interpreter",
            "confidentiality_explained",
            "right_to_stop_explained",
            "agreed_to_continue",
            "safety_checked_at",
        ],
    )
    record(actor, AuditAction.UPDATE, locked, reason="safety and consent step recorded")
    return screening


@transaction.atomic
def set_position(actor: Any, screening: Screening, position: int) -> Screening:
    locked = _locked(actor, screening)
    total = len(get_instrument(locked.instrument_id).plan(locked.population).items)
    locked.position = max(0, min(position, total))
    _save(screening, locked, ["position"])
    return screening


@transaction.atomic
def update_settings(actor: Any, screening: Screening, **fields: Any) -> Screening:
    """Change the interview language, the way of asking, the context flags or the notes while in progress."""
    allowed = ("language", "mode", "immediate_danger", "minor", "foreign_national", "notes")
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    locked = _locked(actor, screening)
    for name, value in fields.items():
        setattr(locked, name, value)
    _save(screening, locked, list(fields))
    record(actor, AuditAction.UPDATE, locked, reason="screening settings changed")
    return screening


@transaction.atomic
def complete_screening(actor: Any, screening: Screening) -> Screening:
    """Evaluate the stored answers and keep the result. Finishing twice changes nothing."""
    locked = Screening.objects.select_for_update().get(pk=screening.pk)
    require(actor, Action.UPDATE, "screening", locked)
    if locked.is_completed:
        return locked
    # Every path to a result passes the safety and consent step, the one-step API included.
    if not locked.safety_cleared:
        raise ValidationError(
            _(
                "This screening cannot be finished: the safety and consent step is not recorded, or the "
                "person was not safe to talk or did not agree to continue."
            )
        )
    instrument = get_instrument(locked.instrument_id)
    if instrument.version != locked.instrument_version:
        raise ValidationError(
            _(
                "The instrument was updated to version %(new)s after this screening started with version %(old)s. "
                "Start a new screening to use the current version."
            )
            % {"new": instrument.version, "old": locked.instrument_version}
        )
    result = evaluate_screening(locked, instrument)
    locked.result = result.to_dict(language="en")
    locked.determination = result.determination
    locked.status = Status.COMPLETED
    locked.completed_at = timezone.now()
    _save(screening, locked, ["result", "determination", "status", "completed_at"])
    record(actor, AuditAction.UPDATE, locked, reason="screening completed")
    return screening


@transaction.atomic
def run_screening(
    actor: Any,
    *,
    instrument_id: str,
    population: str,
    answers: Mapping[str, Any],
    safety: SafetyStep,
    case: Any = None,
    tip: Any = None,
    language: str = "en",
    immediate_danger: bool = False,
    minor: bool = False,
    foreign_national: bool = False,
    notes: str = "",
    request_key: str = "",
) -> Screening:
    """Start, pass the safety step, answer and finish in one step (the API). Invalid input stores nothing.

    "Not safe to talk" is recorded and the screening stays open with no answers, as in the interview.
    """
    instrument = load(instrument_id, population)
    cleaned = _validate_answers(instrument, population, answers)
    if not safety.safe_to_talk and any(v != CLEAR for v in cleaned.values()):
        raise ValidationError(
            _(
                "The person was not safe to talk, so no answer may be recorded. Leave the answers out: the "
                "screening is kept open for a safer time."
            )
        )
    # Evaluate before writing, so an answer the engine refuses (e.g. contradicting the population) is a
    # clear error and not a half-made record.
    evaluate(
        instrument,
        population,
        {k: v for k, v in cleaned.items() if v != CLEAR},
        ScreeningContext(immediate_danger=immediate_danger, minor=minor, foreign_national=foreign_national),
    )
    screening = start_screening(
        actor,
        instrument_id=instrument_id,
        population=population,
        case=case,
        tip=tip,
        language=language,
        mode=Mode.WHOLE_LIST,
        immediate_danger=immediate_danger,
        minor=minor,
        foreign_national=foreign_national,
        request_key=request_key,
    )
    if screening.is_completed:  # an earlier request with the same key
        return screening
    record_safety_step(
        actor,
        screening,
        safe_to_talk=safety.safe_to_talk,
        interpreter=safety.interpreter,
        confidentiality_explained=safety.confidentiality_explained,
        right_to_stop_explained=safety.right_to_stop_explained,
        agreed_to_continue=safety.agreed_to_continue,
    )
    if notes:
        update_settings(actor, screening, notes=notes)
    if not safety.safe_to_talk:
        return screening
    save_answers(actor, screening, cleaned)
    return complete_screening(actor, screening)


@transaction.atomic
def rescreen(actor: Any, previous: Screening, *, request_key: str = "") -> Screening:
    """A new screening of the same person with the same instrument and settings; the old one stays."""
    if not can(actor, Action.VIEW, "screening", previous):
        raise AccessDenied("the screening is not visible to this user")
    return start_screening(
        actor,
        instrument_id=previous.instrument_id,
        population=previous.population,
        case=previous.case,
        tip=previous.tip,
        language=previous.language,
        mode=previous.mode,
        immediate_danger=previous.immediate_danger,
        minor=previous.minor,
        foreign_national=previous.foreign_national,
        request_key=request_key,
    )


@dataclass(frozen=True)
class Reproduction:
    """Whether evaluating the stored answers again gives the stored result."""

    matches: bool
    stored_version: str
    loaded_version: str | None
    version_matches: bool
    digest_matches: bool
    determination: str | None
    message: str


def reproduce(screening: Screening) -> Reproduction:
    """Re-evaluate a finished screening with the instrument as loaded now, and compare.

    Only one version of each instrument is loaded at a time, so a version that differs is reported
    (the stored result stays the record) rather than silently re-evaluated as if it were the same.
    """
    stored = screening.result or {}
    try:
        instrument = get_instrument(screening.instrument_id)
    except ScreeningInputError:
        return Reproduction(
            False,
            screening.instrument_version,
            None,
            False,
            False,
            None,
            _("Instrument %(id)s is no longer installed, so this result cannot be re-evaluated.")
            % {"id": screening.instrument_id},
        )
    version_matches = instrument.version == screening.instrument_version
    digest = instrument_digest(instrument)
    digest_matches = not screening.instrument_digest or digest == screening.instrument_digest
    try:
        again = evaluate_screening(screening, instrument).to_dict(language="en")
    except ScreeningInputError as exc:
        return Reproduction(
            False,
            screening.instrument_version,
            instrument.version,
            version_matches,
            digest_matches,
            None,
            _("The stored answers no longer fit the instrument: %(error)s") % {"error": exc},
        )
    again.pop("instrument", None)
    earlier = {k: v for k, v in stored.items() if k != "instrument"}
    matches = bool(stored) and again == earlier
    if not version_matches:
        message = _(
            "This screening used version %(old)s of the instrument; version %(new)s is loaded now. The stored "
            "result is the record; re-evaluating with version %(new)s %(outcome)s."
        ) % {
            "old": screening.instrument_version,
            "new": instrument.version,
            "outcome": _("gives the same result") if matches else _("gives a different result"),
        }
    elif not digest_matches:
        message = _(
            "The instrument file changed since this screening without a new version number; re-evaluating %(outcome)s."
        ) % {"outcome": _("gives the same result") if matches else _("gives a different result")}
    elif matches:
        message = _("Re-evaluating the stored answers with version %(version)s gives the same result.") % {
            "version": instrument.version
        }
    else:
        message = _("Re-evaluating the stored answers gives a different result than the one stored.")
    return Reproduction(
        matches,
        screening.instrument_version,
        instrument.version,
        version_matches,
        digest_matches,
        again.get("determination"),
        message,
    )
