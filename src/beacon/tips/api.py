"""Intake API for gateways (SMS, e-mail, phone line): tips arrive as the same record as the portal's.

`POST /api/v1/tips` with `Authorization: Bearer <token>` of a staff account allowed to create
tips (the hotline role) and an `Idempotency-Key` header (or `idempotency_key` field) unique per
message: a retry with the same key returns the same tip and never creates a second. The answer
carries the reporter's codename, which the gateway relays to the reporter once (for example as an
SMS reply) and must not store or log. See src/beacon/tips/INTAKE.md.
"""

from __future__ import annotations

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from beacon.access.policy import Action
from beacon.api.auth import ApiRequest, requires
from beacon.tips import services
from beacon.tips.models import Channel, ChildInvolved, LocationKind, When
from beacon.tips.selectors import get_tip

router = Router(tags=["tips"])


class PeopleIn(Schema):
    description: str = Field("", max_length=10_000)
    names: list[str] = Field(default_factory=list, max_length=20)
    phones: list[str] = Field(default_factory=list, max_length=20)
    emails: list[str] = Field(default_factory=list, max_length=20)
    plates: list[str] = Field(default_factory=list, max_length=20)
    addresses: list[str] = Field(default_factory=list, max_length=20)


class TipIn(Schema):
    channel: str = Channel.SMS
    language: str = Field("en", max_length=10)
    idempotency_key: str | None = Field(None, max_length=200)
    narrative: str = Field(..., min_length=1, max_length=10_000)
    location_kind: str = LocationKind.ELSEWHERE
    county_fips: str | None = Field(None, max_length=5)
    place: str = Field("", max_length=500)
    when: str = When.UNKNOWN
    when_detail: str = Field("", max_length=200)
    people: PeopleIn = Field(default_factory=PeopleIn)
    checklist: dict[str, str] = Field(default_factory=dict)
    child_involved: str = ChildInvolved.UNKNOWN
    danger_now: bool = False
    contact_preference: str = "codename"
    contact_detail: str = Field("", max_length=200)
    consent_law_enforcement: bool = False
    self_report: bool = Field(False, description="The person it happened to is the one reporting")


class TipCreated(Schema):
    public_id: str
    status: str
    urgency_score: int
    created: bool
    codename: str | None


class TipStatusOut(Schema):
    public_id: str
    status: str
    channel: str
    urgency_score: int
    urgency_reasons: list
    created_at: str


@router.post("", response={201: TipCreated, 200: TipCreated}, url_name="tips_create", **requires("tip", Action.CREATE))
def create_tip(request: ApiRequest, data: TipIn):
    """Receive one tip from a gateway. Send an idempotency key: a retry returns the same tip."""
    user = request.auth
    key = request.headers.get("Idempotency-Key") or data.idempotency_key
    if not key or len(key) > 200:
        raise HttpError(422, "send an Idempotency-Key header (or idempotency_key) unique to this message")
    if data.channel not in Channel.values:
        raise HttpError(422, f"channel must be one of: {', '.join(Channel.values)}")
    # TipInput checks the rest; its ValidationError is the API's 422.
    tip_input = services.TipInput(
        narrative=data.narrative,
        location_kind=data.location_kind,
        county_fips=data.county_fips,
        place=data.place,
        when=data.when,
        when_detail=data.when_detail,
        people=data.people.model_dump(),
        checklist=dict(data.checklist),
        child_involved=data.child_involved,
        danger_now=data.danger_now,
        contact_preference=data.contact_preference,
        contact_detail=data.contact_detail,
        consent_law_enforcement=data.consent_law_enforcement,
        language=data.language,
        self_report=data.self_report,
    )
    scoped_key = f"api:{user.pk}:{key}"
    submitted = services.submit_tip(
        tip_input, nonce=scoped_key, idempotency_key=scoped_key, channel=data.channel, actor=user
    )
    tip = submitted.tip
    body = {
        "public_id": tip.public_id,
        "status": tip.status,
        "urgency_score": tip.urgency_score,
        "created": submitted.created,
        "codename": submitted.codename,
    }
    return Status(201 if submitted.created else 200, body)


@router.get("/{public_id}", response=TipStatusOut, url_name="tips_status", **requires("tip", Action.VIEW))
def tip_status(request: ApiRequest, public_id: str):
    """Status and urgency of one tip (no personal data)."""
    tip = get_tip(request.auth, public_id)
    if tip is None:
        raise HttpError(404, "No such tip.")
    return {
        "public_id": tip.public_id,
        "status": tip.status,
        "channel": tip.channel,
        "urgency_score": tip.urgency_score,
        "urgency_reasons": tip.urgency_reasons,
        "created_at": tip.created_at.isoformat(),
    }
