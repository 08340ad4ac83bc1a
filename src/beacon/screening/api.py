"""`/api/v1/screenings`: run a screening (evaluated at once) and fetch results, scoped by the access policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from beacon.access.policy import Action
from beacon.api.auth import ApiRequest, requires
from beacon.screening import selectors, services
from beacon.screening.engine import ANSWERS, POPULATIONS, ScreeningInputError, load_instruments, localize
from beacon.screening.models import Interpreter, Screening
from beacon.screening.models import Status as ScreeningStatus

router = Router(tags=["screening"])


class Error(Schema):
    detail: Any


class SafetyIn(Schema):
    """The safety and consent step (HHS adult screening guidance), asked before any question."""

    safe_to_talk: bool = Field(..., description="It is safe for the person to talk now. If false, send no answers.")
    interpreter: str = Field(
        "",
        description=f"When safe to talk: one of {', '.join(Interpreter.values)}. Never the person who brought them.",
    )
    confidentiality_explained: bool = Field(
        False, description="The limits of confidentiality were explained (mandated reporting of children)."
    )
    right_to_stop_explained: bool = Field(False, description="The right to stop at any time was explained.")
    agreed_to_continue: bool = Field(False, description="The person agreed to continue.")


class ScreeningIn(Schema):
    case: str | None = Field(None, description="Public id of the case the screened person belongs to.")
    tip: str | None = Field(None, description="Public id of the tip, when screening from a tip.")
    instrument: str = Field(..., description="Instrument id, e.g. `ilo-2009` (see GET /screenings/instruments).")
    population: str = Field(..., description=f"One of the instrument's populations: {', '.join(POPULATIONS)}.")
    safety: SafetyIn = Field(
        ...,
        description="The safety and consent step. Without every part confirmed there is no result: not safe "
        "to talk keeps the screening open with no answers; anything else missing is a 422.",
    )
    answers: dict[str, str] = Field(
        default_factory=dict,
        description=f"Item id -> {' / '.join(ANSWERS)}. Items left out count as not asked; only a yes counts.",
    )
    immediate_danger: bool = Field(False, description="Someone is in immediate danger (adds the 911 step).")
    minor: bool = Field(False, description="The person is under 18 (adds DCFS reporting).")
    foreign_national: bool = Field(
        False,
        description="The person is a foreign national (adds the immigration legal referral and relief pre-screen).",
    )
    language: str = Field("en", description="Interview language (texts fall back to English).")
    notes: str = Field("", description="Interviewer's notes (stored encrypted).")
    idempotency_key: str = Field(
        "",
        max_length=64,
        description="Repeat a request with the same key to get the same screening back instead of a second one.",
    )


class ScreeningRow(Schema):
    public_id: str
    case: str | None
    tip: str | None
    instrument: str
    instrument_version: str
    population: str
    status: str
    determination: str
    started_at: dt.datetime
    completed_at: dt.datetime | None
    screener: str | None


class ScreeningOut(ScreeningRow):
    language: str
    immediate_danger: bool
    minor: bool
    foreign_national: bool
    safety: dict[str, Any] = Field(..., description="The safety and consent step as recorded, and whether it cleared.")
    answers: dict[str, str]
    notes: str | None = Field(None, description="Only for the screener's own agency.")
    result: dict[str, Any] | None = Field(None, description="The engine's result, as stored (English).")
    reproducible: bool = Field(..., description="Evaluating the stored answers again gives the stored result.")
    reproduction: str


class InstrumentOut(Schema):
    id: str
    version: str
    title: str
    languages: list[str]
    populations: list[str]


def _row(screening: Screening) -> dict[str, Any]:
    return {
        "public_id": screening.public_id,
        "case": screening.case.public_id if screening.case_id else None,
        "tip": screening.tip.public_id if screening.tip_id else None,
        "instrument": screening.instrument_id,
        "instrument_version": screening.instrument_version,
        "population": screening.population,
        "status": screening.status,
        "determination": screening.determination,
        "started_at": screening.started_at,
        "completed_at": screening.completed_at,
        "screener": screening.screener.username if screening.screener_id else None,
    }


def _full(user: Any, screening: Screening) -> dict[str, Any]:
    reproduction = services.reproduce(screening) if screening.is_completed else None
    return {
        **_row(screening),
        "language": screening.language,
        "immediate_danger": screening.immediate_danger,
        "minor": screening.minor,
        "foreign_national": screening.foreign_national,
        "safety": {
            "recorded_at": screening.safety_checked_at,
            "safe_to_talk": screening.safe_to_talk,
            "interpreter": screening.interpreter,
            "confidentiality_explained": screening.confidentiality_explained,
            "right_to_stop_explained": screening.right_to_stop_explained,
            "agreed_to_continue": screening.agreed_to_continue,
            "cleared": screening.safety_cleared,
        },
        "answers": screening.answers or {},
        "notes": screening.notes if selectors.full_access(user, screening) else None,
        "result": screening.result,
        "reproducible": bool(reproduction and reproduction.matches),
        "reproduction": reproduction.message if reproduction else "",
    }


@router.get("/instruments", response=list[InstrumentOut], summary="Installed screening instruments", **requires())
def instruments(request: HttpRequest, language: str = "en") -> list[dict[str, Any]]:
    return [
        {
            "id": i.id,
            "version": i.version,
            "title": localize(i.title, language),
            "languages": list(i.languages),
            "populations": list(i.populations),
        }
        for i in load_instruments().values()
    ]


@router.post(
    "",
    response={201: ScreeningOut, 200: ScreeningOut, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="Run a screening",
    description="Creates a screening for a case or tip, evaluates the answers and stores the result with "
    "the instrument id and version. Unknown instrument, population, item or answer value: 422.",
    **requires("screening", Action.CREATE),
)
def create(request: ApiRequest, payload: ScreeningIn):
    user = request.auth
    if not payload.case and not payload.tip:
        return Status(422, {"detail": "give the public id of a case or a tip"})
    try:
        case, tip = selectors.subject_for(user, case_id=payload.case or "", tip_id=payload.tip or "")
    except Http404:
        return Status(404, {"detail": "no such case or tip, or it is not visible to you"})
    if payload.idempotency_key:
        existing = Screening.objects.filter(screener=user, request_key=payload.idempotency_key).first()
        if existing is not None:
            return Status(200, _full(user, existing))
    try:
        screening = services.run_screening(
            user,
            instrument_id=payload.instrument,
            population=payload.population,
            answers=payload.answers,
            safety=services.SafetyStep(**payload.safety.model_dump()),
            case=case,
            tip=tip,
            language=payload.language,
            immediate_danger=payload.immediate_danger,
            minor=payload.minor,
            foreign_national=payload.foreign_national,
            notes=payload.notes,
            request_key=payload.idempotency_key,
        )
    except ScreeningInputError as exc:
        return Status(422, {"detail": str(exc)})
    except ValidationError as exc:
        return Status(422, {"detail": " ".join(exc.messages)})
    return Status(201, _full(user, screening))


@router.get(
    "",
    response=list[ScreeningRow],
    summary="List screenings",
    description="The screenings you may see, newest first. Rows carry ids, codes and dates only.",
    **requires("screening", Action.VIEW),
)
def list_screenings(
    request: ApiRequest,
    case: str | None = Query(None, description="Only this case's screenings."),
    tip: str | None = Query(None, description="Only this tip's screenings."),
    status: ScreeningStatus | None = Query(None, description="in_progress or completed."),  # noqa: B008
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
):
    user = request.auth
    case_obj, tip_obj = selectors.subject_for(user, case_id=case or "", tip_id=tip or "")
    rows = selectors.screening_list(user, case=case_obj, tip=tip_obj, status=status or "", limit=limit, offset=offset)
    return [_row(s) for s in rows]


@router.get(
    "/{public_id}",
    response={200: ScreeningOut, 404: Error},
    summary="Get one screening",
    description="Answers, result and reproducibility check. The read is written to the audit log.",
    **requires("screening", Action.VIEW),
)
def get_one(request: ApiRequest, public_id: str):
    user = request.auth
    try:
        screening = selectors.get_screening(user, public_id, action=Action.VIEW, reason="api")
    except Http404:
        return Status(404, {"detail": "no such screening, or it is not visible to you"})
    return Status(200, _full(user, screening))
