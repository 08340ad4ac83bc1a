"""Outreach writes: field submissions (each becomes one tip in the collecting agency's queue) and
outreach events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from beacon.access.policy import Action, require
from beacon.accounts.models import User
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.outreach.htcds_intake import FieldRecord, Problem, read_submission
from beacon.outreach.models import FieldSubmission, OutreachEvent, Source
from beacon.reference.models import County
from beacon.tips import services as tips
from beacon.tips.models import Channel, LocationKind, Tip


class SubmissionRefused(Exception):
    """The submission cannot be stored as it is; nothing was saved."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Received:
    tip: Tip
    created: bool
    warnings: list[Problem]


def _county(places: list[str]) -> County | None:
    """An Illinois county named in the answers ("Champaign", "Champaign County"), if any."""
    named = Q()
    for place in places:
        name = place.strip().lower().removesuffix(" county")
        named |= Q(name__iexact=name) | Q(name__iexact=f"{name} county")
    return County.objects.filter(named).first() if places else None


def receive_submission(actor: User, payload: Mapping[str, Any], *, source: str = Source.KOBO) -> Received:
    """Store one HTCDS submission exactly once per (agency, submission UUID) as a tip in the
    actor's agency queue. Raises SubmissionRefused (nothing saved) when it has errors."""
    require(actor, Action.CREATE, "tip")
    if actor.agency_id is None:
        raise SubmissionRefused([Problem("token", "the account sending submissions belongs to no agency")])
    if not isinstance(payload, Mapping):
        raise SubmissionRefused([Problem("body", "a submission is a JSON object")])
    field_record: FieldRecord = read_submission(payload, today=timezone.localdate())
    if field_record.errors:
        raise SubmissionRefused(field_record.errors)
    existing = (
        FieldSubmission.objects.filter(agency_id=actor.agency_id, submission_uuid=field_record.submission_uuid)
        .select_related("tip")
        .first()
    )
    if existing:
        return Received(tip=existing.tip, created=False, warnings=field_record.warnings)
    county = _county(field_record.places)
    tip_input = tips.TipInput(
        narrative=field_record.narrative,
        location_kind=LocationKind.COUNTY if county else LocationKind.ELSEWHERE,
        county_fips=county.fips if county else None,
        place="; ".join(field_record.places),
        people={
            "description": "",
            "names": field_record.names,
            "phones": field_record.phones,
            "emails": field_record.emails,
            "plates": [],
            "addresses": field_record.addresses,
        },
        child_involved=field_record.child_involved,
    )
    key = f"field:{actor.agency_id}:{field_record.submission_uuid}"
    with transaction.atomic():
        submitted = tips.submit_tip(
            tip_input,
            nonce=key,
            idempotency_key=key,
            channel=Channel.FIELD,
            actor=actor,
            agency=actor.agency,
            exploitation_types=field_record.exploitation_types,
        )
        if not submitted.created:  # a concurrent retry stored it first
            return Received(tip=submitted.tip, created=False, warnings=field_record.warnings)
        submission = FieldSubmission.objects.create(
            agency_id=actor.agency_id,
            submission_uuid=field_record.submission_uuid,
            source=source,
            form_id=field_record.form_id,
            tip=submitted.tip,
            payload=dict(payload),
            unmapped_fields=sorted({w.field for w in field_record.warnings}),
            received_by=actor,
        )
        record(actor, AuditAction.CREATE, submission, reason=f"field submission received ({source})")
    return Received(tip=submitted.tip, created=True, warnings=field_record.warnings)


@dataclass(frozen=True)
class OutreachInput:
    held_on: dt.date
    audience: str
    people_reached: int
    county: County | None = None
    place: str = ""
    languages: tuple[str, ...] = ()
    materials_distributed: int = 0
    follow_ups: int = 0
    notes: str = ""


class OutreachChanged(Exception):
    """Someone saved the event since it was opened."""


def outreach_problems(*, held_on: dt.date | None, people_reached: int | None, follow_ups: int | None) -> dict[str, str]:
    """What is wrong with an outreach event, by field: the one statement of the rules, used by the
    form (messages under the fields) and by the writes below (whoever calls them)."""
    problems = {}
    if held_on is not None and held_on > timezone.localdate():
        problems["held_on"] = _("The date of an outreach event cannot be in the future.")
    if people_reached is not None and follow_ups is not None and follow_ups > people_reached:
        problems["follow_ups"] = _("More people asked for follow-up than were reached.")
    return problems


def _check(data: OutreachInput) -> None:
    problems = outreach_problems(held_on=data.held_on, people_reached=data.people_reached, follow_ups=data.follow_ups)
    if problems:
        raise ValidationError(problems)


def record_outreach(actor: User, data: OutreachInput) -> OutreachEvent:
    require(actor, Action.CREATE, "outreach")
    _check(data)
    with transaction.atomic():
        event = OutreachEvent.objects.create(agency=actor.agency, recorded_by=actor, **_fields(data))
        record(actor, AuditAction.CREATE, event, reason="outreach event recorded")
    return event


def update_outreach(actor: User, event: OutreachEvent, data: OutreachInput, *, version: int) -> OutreachEvent:
    require(actor, Action.UPDATE, "outreach", event)
    _check(data)
    with transaction.atomic():
        updated = OutreachEvent.objects.filter(pk=event.pk, version=version).update(
            version=version + 1, **_fields(data)
        )
        if not updated:
            raise OutreachChanged
        record(actor, AuditAction.UPDATE, event, reason="outreach event changed")
    event.refresh_from_db()
    return event


def _fields(data: OutreachInput) -> dict[str, Any]:
    return {
        "held_on": data.held_on,
        "audience": data.audience,
        "people_reached": data.people_reached,
        "county": data.county,
        "place": data.place,
        "languages": list(data.languages),
        "materials_distributed": data.materials_distributed,
        "follow_ups": data.follow_ups,
        "notes": data.notes,
    }
