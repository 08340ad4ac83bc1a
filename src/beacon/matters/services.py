"""Matter writes: open and edit a matter, add a subject (which runs the deconfliction look-up), and
keep the agency's designated deconfliction contact."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from beacon.access.policy import AccessDenied, Action, require
from beacon.accounts.models import Agency, User
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.crypto.normalise import normalise_email, normalise_phone
from beacon.matters import deconfliction
from beacon.matters.models import DeconflictionCheck, DeconflictionContact, Matter, Subject
from beacon.matters.subjects import index_of, same_text
from beacon.reference.models import County
from beacon.reference.vocabularies import choices

MATTER = "matter"


@dataclass(frozen=True)
class MatterInput:
    title: str
    exploitation_type: str
    county: County | None
    status: str
    lead: User | None
    confidential: bool


def _check(actor: User, data: MatterInput) -> None:
    if not data.title.strip():
        raise ValidationError(_("Give the matter a title."))
    if data.exploitation_type not in {code for code, _label in choices("htcds:vic_TypeOfExploitation")}:
        raise ValidationError(_("Choose a type of exploitation from the list."))
    if data.lead is not None and (data.lead.agency_id != actor.agency_id or not data.lead.is_active):
        raise ValidationError(_("The lead investigator must be an active member of your agency."))


@transaction.atomic
def open_matter(actor: User, data: MatterInput) -> Matter:
    require(actor, Action.CREATE, MATTER)
    if actor.agency_id is None:
        raise AccessDenied("a matter belongs to an agency", action=Action.CREATE, resource=MATTER)
    _check(actor, data)
    matter = Matter.objects.create(
        agency_id=actor.agency_id,
        title=data.title.strip(),
        exploitation_type=data.exploitation_type,
        county=data.county,
        status=data.status,
        lead=data.lead or actor,
        confidential=data.confidential,
        created_by=actor,
    )
    record(actor, AuditAction.CREATE, matter)
    return matter


@transaction.atomic
def update_matter(actor: User, matter: Matter, data: MatterInput) -> Matter:
    require(actor, Action.UPDATE, MATTER, matter)
    _check(actor, data)
    matter.title = data.title.strip()
    matter.exploitation_type = data.exploitation_type
    matter.county = data.county
    matter.status = data.status
    matter.lead = data.lead
    matter.confidential = data.confidential
    matter.save()
    record(actor, AuditAction.UPDATE, matter)
    return matter


@dataclass(frozen=True)
class Added:
    subject: Subject
    merged: bool  # the subject was already on the matter: this entry was merged into it
    check: DeconflictionCheck | None  # None when the value could not be indexed


@transaction.atomic
def add_subject(actor: User, matter: Matter, kind: str, value: str, note: str = "") -> Added:
    """Add a subject to `matter` and compare it with every other agency's records. A value that
    cannot be read as its kind is kept as text without an index; a subject already on the matter
    (the same normal form, or the same text for an unindexed one) is merged, not repeated."""
    require(actor, Action.UPDATE, MATTER, matter)
    value = " ".join(value.split())
    note = note.strip()
    if not value:
        raise ValidationError(_("Enter the subject's name, number or address."))
    if len(value) > 300:
        raise ValidationError(_("Keep the value under 300 characters; put the rest in the note."))
    bidx = index_of(kind, value)
    existing = _same_subject(matter, kind, value, bidx)
    if existing is not None:
        _merge(existing, value, note)
        record(actor, AuditAction.UPDATE, existing, reason=f"duplicate subject merged on matter {matter.public_id}")
        return Added(existing, True, None)
    try:
        with transaction.atomic():
            subject = Subject.objects.create(
                matter=matter, kind=kind, value=value, note=note, bidx=bidx, added_by=actor
            )
    except IntegrityError:  # the same subject added at the same moment by a colleague
        existing = _same_subject(matter, kind, value, bidx)
        if existing is None:
            raise
        _merge(existing, value, note)
        return Added(existing, True, None)
    record(actor, AuditAction.CREATE, subject, reason=f"subject on matter {matter.public_id}")
    return Added(subject, False, deconfliction.look_up(actor, subject))


def _same_subject(matter: Matter, kind: str, value: str, bidx: str) -> Subject | None:
    if bidx:
        return Subject.objects.filter(matter=matter, kind=kind, bidx=bidx).first()
    for subject in Subject.objects.filter(matter=matter, kind=kind, bidx=""):
        if same_text(subject.value, value):
            return subject
    return None


def _merge(subject: Subject, value: str, note: str) -> None:
    spellings = list(subject.other_spellings or [])
    if value != subject.value and value not in spellings:
        spellings.append(value)
    subject.other_spellings = spellings
    if note and note not in subject.note:
        subject.note = f"{subject.note}\n{note}".strip()
    subject.save(update_fields=["other_spellings", "note"])


@dataclass(frozen=True)
class ContactInput:
    name: str
    phone: str
    email: str
    user: User | None


@transaction.atomic
def save_contact(actor: User, agency: Agency, data: ContactInput) -> DeconflictionContact:
    """Set the agency's designated deconfliction contact: a name and a phone or an e-mail."""
    require(actor, Action.UPDATE, "deconflictioncontact", agency)
    name = data.name.strip()
    phone = normalise_phone(data.phone) if data.phone.strip() else ""
    email = normalise_email(data.email) if data.email.strip() else ""
    problems = []
    if not name:
        problems.append(_("Give the contact's name (a person or a desk)."))
    if data.phone.strip() and not phone:
        problems.append(_("The phone number could not be read; write it with its area code, e.g. 312 555 0100."))
    if data.email.strip() and not email:
        problems.append(_("The e-mail address could not be read."))
    if not (data.phone.strip() or data.email.strip()):
        problems.append(_("Give a phone number or an e-mail address, so other agencies can reach the contact."))
    if data.user is not None and data.user.agency_id != agency.pk:
        problems.append(_("The staff account must belong to your agency."))
    if problems:
        raise ValidationError(problems)
    contact, _created = DeconflictionContact.objects.update_or_create(
        agency=agency,
        defaults={
            "name": name,
            "phone": phone,
            "email": data.email.strip().lower() if email else "",
            "user": data.user,
        },
    )
    record(actor, AuditAction.UPDATE, contact, reason=f"designated deconfliction contact of agency {agency.public_id}")
    return contact
