"""Intake and edits of the survivor's record: open a case, change the case or the person, add events and
perpetrators. Edits carry the version the editor saw (optimistic locking)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from beacon.access.policy import AccessDenied, Action, require
from beacon.accounts.models import User
from beacon.accounts.roles import Role
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.cases import identity
from beacon.cases.models import (
    Case,
    CaseNote,
    CaseStatus,
    Consent,
    ConsentKind,
    Perpetrator,
    Person,
    ReferralSource,
    TraffickingEvent,
)
from beacon.cases.services.notifications import notify
from beacon.cases.signals import record_updated
from beacon.crypto.keys import email_index, phone_index
from beacon.crypto.normalise import normalise_phone
from beacon.reference.models import County

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "aliases",
    "birth_date",
    "estimated_age",
    "age_when_trafficked",
    "gender",
    "languages",
    "citizenship",
    "immigration_status",
)


CONTACT_FIELDS = ("phone", "email", "address")


CASE_FIELDS = (
    "status",
    "trafficking_status",
    "trafficking_status_decided_by",
    "exploitation_types",
    "sex_exploitation_types",
    "polaris_type",
    "industry",
    "methods_of_control",
    "recruitment_methods",
    "recruitment_websites",
    "relationship_to_trafficker",
    "referral_source",
    "county",
    "summary",
    "closure_reason",
    "living_situation_at_closure",
    "hhs_letter",
    "outcome",
)


class EditConflict(Exception):
    """Someone else saved the record after this person opened it (optimistic locking)."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or _(
                "Someone else changed this record after you opened it. Your changes were not saved: "
                "reload the page to see their changes, then make yours again."
            )
        )


def _today() -> dt.date:
    return timezone.localdate()


def _apply_person(person: Person, fields: dict[str, Any]) -> None:
    for name in PERSON_FIELDS:
        if name in fields:
            value = fields[name]
            if name == "birth_date" and isinstance(value, dt.date):
                value = value.isoformat()
            if name in ("aliases",) and isinstance(value, str):
                value = [a.strip() for a in value.split(",") if a.strip()]
            setattr(
                person,
                name,
                value if value is not None or name in ("estimated_age", "aliases", "age_when_trafficked") else "",
            )
    contact = dict(person.contact or {})
    for name in CONTACT_FIELDS:
        if name in fields:
            contact[name] = fields[name] or ""
    if "phone" in fields and contact.get("phone"):
        contact["phone"] = normalise_phone(contact["phone"]) or contact["phone"]
    person.contact = contact or None
    _derive_person(person)


def _derive_person(person: Person) -> None:
    """Ages, minor flags and blind indexes follow from the entered values."""
    today = _today()
    birth = dt.date.fromisoformat(person.birth_date) if person.birth_date else None
    if birth and birth > today:
        raise ValidationError(_("The birth date is in the future."))
    person.age_at_intake = identity.age_on(birth, today) if birth else person.estimated_age
    person.minor_at_intake = person.age_at_intake is not None and person.age_at_intake < 18
    person.minor_when_trafficked = person.age_when_trafficked is not None and person.age_when_trafficked < 18
    year = identity.birth_year_of(birth, person.estimated_age, today)
    person.name_bidx = identity.name_index(person.given_name or "", person.family_name or "")
    person.fuzzy_bidx = identity.fuzzy_index(person.given_name or "", person.family_name or "", year)
    contact = person.contact or {}
    person.phone_bidx = phone_index(contact.get("phone", ""))
    person.email_bidx = email_index(contact.get("email", ""))


def _apply_case(case: Case, fields: dict[str, Any]) -> None:
    for name in CASE_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if name == "county":
            if isinstance(value, str):
                value = County.objects.filter(fips=value).first() if value else None
            case.county = value
            continue
        setattr(case, name, value if value is not None else ("" if name not in ("county",) else None))
    case.primary_type = (case.exploitation_types or [""])[0]


# Who may own a case: the agency's caseworkers and supervisors (they see what they own; hotline staff
# hand cases over at conversion, investigators receive cases only through referrals).
OWNER_ROLES = (Role.CASEWORKER, Role.SUPERVISOR)


def _owner_in(agency_id: int, owner_id: int | None) -> User:
    """The user who is to own a case of `agency_id`, or a ValidationError a person can act on."""
    owner = User.objects.filter(pk=owner_id).first() if owner_id else None
    if owner is None:
        raise ValidationError(_("Choose the caseworker who will own the case."))
    if owner.agency_id != agency_id:
        raise ValidationError(_("A case can only be assigned to someone in the case's agency."))
    if not owner.is_active or owner.role not in OWNER_ROLES:
        raise ValidationError(_("Choose an active caseworker or supervisor of the agency."))
    return owner


@transaction.atomic
def open_case(actor: User, *, person: Person | None = None, owner: User | None = None, **fields: Any) -> Case:
    """Intake of a survivor met in person: create the person (or reuse one of the agency's) and the case.

    A services consent is recorded only when `consent_services` is given as true by the person
    recording it (the intake form asks); nothing is assumed. Cases from tips open through
    `open_case_from_tip`.
    """
    require(actor, Action.CREATE, "case")
    if actor.agency_id is None:
        raise ValidationError(_("Only staff of an agency can open cases."))
    owner = actor if owner is None else _owner_in(actor.agency_id, owner.pk)
    if person is None:
        require(actor, Action.CREATE, "person")
        person = Person(agency_id=actor.agency_id)
        _apply_person(person, fields)
        person.save()
        record(actor, AuditAction.CREATE, person, reason="intake")
    elif person.agency_id != actor.agency_id:
        raise AccessDenied("person belongs to another agency")
    case = Case(person=person, agency_id=actor.agency_id, owner=owner)
    _apply_case(case, fields)
    case.save()
    record(actor, AuditAction.CREATE, case, reason="intake")
    if fields.get("consent_services") is True:
        consent = Consent.objects.create(
            case=case,
            kind=ConsentKind.SERVICES,
            granted_at=timezone.now(),
            recorded_by=actor,
            method=fields.get("consent_method", "verbal"),
        )
        record(actor, AuditAction.CREATE, consent, reason="consent recorded at intake")
    return case


@dataclass(frozen=True)
class CaseFromTip:
    """What a tip established, as the case starts from it. Built by `tips.services.convert_to_case`."""

    tip_public_id: str
    owner_id: int
    narrative: str
    exploitation_types: tuple[str, ...] = ()
    county_fips: str | None = None
    languages: tuple[str, ...] = ()
    people_description: str = ""
    signs: dict[str, str] = field(default_factory=dict)  # checklist item id -> yes / no (answered ones)


def open_case_from_tip(actor: User, data: CaseFromTip) -> Case:
    """The case side of converting a tip; only `tips.services.convert_to_case` calls it, in its transaction.

    The person is the one the tip describes, marked "from the tip, unconfirmed"; the narrative
    becomes the first (encrypted) note; no consent is recorded: consent is asked of the survivor.
    """
    require(actor, Action.CREATE, "case")
    require(actor, Action.CREATE, "person")
    if actor.agency_id is None:
        raise ValidationError(_("Only staff of an agency can open cases."))
    owner = _owner_in(actor.agency_id, data.owner_id)
    person = Person(
        agency_id=actor.agency_id,
        languages=list(data.languages),
        from_tip_unconfirmed=True,
        described_in_tip=data.people_description,
    )
    _derive_person(person)
    person.save()
    record(actor, AuditAction.CREATE, person, reason=f"from tip {data.tip_public_id}")
    case = Case(
        person=person,
        agency_id=actor.agency_id,
        owner=owner,
        referral_source=ReferralSource.HOTLINE,
        signs_from_tip=dict(data.signs),
    )
    _apply_case(case, {"exploitation_types": list(data.exploitation_types), "county": data.county_fips or ""})
    case.save()
    record(actor, AuditAction.CREATE, case, reason=f"from tip {data.tip_public_id}, owner user {owner.pk}")
    note = CaseNote.objects.create(case=case, author=actor, body=data.narrative)
    record(actor, AuditAction.CREATE, note, reason=f"narrative of tip {data.tip_public_id}")
    _notify_owner(owner, case, actor)
    return case


@dataclass(frozen=True)
class Reassignment:
    owner_id: int
    version: int  # the case version the supervisor saw


@transaction.atomic
def reassign_case(actor: User, case: Case, change: Reassignment) -> Case:
    """A supervisor gives the case to another caseworker of its agency; the new owner is told."""
    require(actor, Action.ASSIGN, "case", case)
    owner = _owner_in(case.agency_id, change.owner_id)
    if not _locked_update(Case, case.pk, change.version, {"owner_id": owner.pk, "updated_at": timezone.now()}):
        raise EditConflict()
    case.owner, case.version = owner, change.version + 1
    record(actor, AuditAction.UPDATE, case, reason=f"reassigned to user {owner.pk}")
    _notify_owner(owner, case, actor)
    return case


def _notify_owner(owner: User, case: Case, actor: User) -> None:
    if owner.pk == actor.pk:
        return

    notify(
        owner,
        f"case-owner:{case.public_id}:{case.version}",
        _("Case %(id)s is now yours.") % {"id": case.public_id},
        reverse("cases:detail", args=[case.public_id]),
    )


def _locked_update(model: type, pk: int, version: int, changes: dict[str, Any]) -> int:
    """UPDATE ... WHERE version = the version the editor saw; 0 rows means someone saved first."""
    updated = model.objects.filter(pk=pk, version=version).update(version=F("version") + 1, **changes)
    if updated:
        record_updated.send(sender=model, model=model, pk=pk)
    return updated


def _changes(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    result = {}
    for name in names:
        field = obj._meta.get_field(name)
        result[field.attname] = getattr(obj, field.attname)
    return result


@transaction.atomic
def update_case(actor: User, case: Case, *, version: int, **fields: Any) -> Case:
    require(actor, Action.UPDATE, "case", case)
    if "owner" in fields:  # one way to change the owner: reassign_case
        raise ValidationError(_("Reassign the case from the case page."))
    _apply_case(case, fields)
    if case.status in (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED):
        if not case.closure_reason:
            raise ValidationError(_("Give a closure reason when closing a case."))
        case.closed_at = case.closed_at or timezone.now()
    else:
        case.closed_at = None
    names = (*CASE_FIELDS, "primary_type", "closed_at")
    changes = _changes(case, names)
    changes["updated_at"] = timezone.now()
    if not _locked_update(Case, case.pk, version, changes):
        raise EditConflict()
    case.version = version + 1
    record(actor, AuditAction.UPDATE, case)
    return case


@transaction.atomic
def update_person(actor: User, person: Person, *, version: int, **fields: Any) -> Person:
    require(actor, Action.UPDATE, "person", person)
    _apply_person(person, fields)
    names = (
        *PERSON_FIELDS,
        "contact",
        "age_at_intake",
        "minor_at_intake",
        "minor_when_trafficked",
        "name_bidx",
        "fuzzy_bidx",
        "phone_bidx",
        "email_bidx",
    )
    if not _locked_update(Person, person.pk, version, _changes(person, names)):
        raise EditConflict()
    person.version = version + 1
    record(actor, AuditAction.UPDATE, person)
    return person


@transaction.atomic
def add_event(actor: User, case: Case, **fields: Any) -> TraffickingEvent:
    require(actor, Action.UPDATE, "case", case)
    if fields.get("start_date") and fields.get("end_date") and fields["end_date"] < fields["start_date"]:
        raise ValidationError(_("The end date is before the start date."))
    if not fields.get("county") and not fields.get("country"):
        raise ValidationError(_("Give an Illinois county or a country for the event."))
    event = TraffickingEvent.objects.create(case=case, **fields)
    record(actor, AuditAction.UPDATE, case, reason="trafficking event added")
    return event


@transaction.atomic
def add_perpetrator(actor: User, case: Case, **fields: Any) -> Perpetrator:
    require(actor, Action.UPDATE, "case", case)
    perpetrator = Perpetrator.objects.create(case=case, **fields)
    record(actor, AuditAction.UPDATE, case, reason="perpetrator added")
    return perpetrator
