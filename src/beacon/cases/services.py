"""Writes for case management. Each use case checks the access policy and writes the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from beacon.access.policy import AccessDenied, Action, require
from beacon.accounts.models import Agency, User
from beacon.accounts.roles import AgencyType, Role
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.cases import files, identity
from beacon.cases.models import (
    OPEN_STATUSES,
    Attachment,
    Case,
    CaseNote,
    CaseStatus,
    Consent,
    ConsentKind,
    Notification,
    Perpetrator,
    Person,
    PlanItemStatus,
    Referral,
    ReferralEvent,
    ReferralSource,
    ReferralStatus,
    ReliefApplication,
    ReliefMilestone,
    ServiceGoal,
    ServiceNeed,
    ServicePlanItem,
    Task,
    TraffickingEvent,
)
from beacon.cases.sharing import SHAREABLE_FIELDS
from beacon.cases.signals import record_updated
from beacon.crypto.keys import normalise_phone
from beacon.reference.models import County

PERSON_FIELDS = (
    "given_name", "family_name", "aliases", "birth_date", "estimated_age", "age_when_trafficked", "gender",
    "languages", "citizenship", "immigration_status",
)
CONTACT_FIELDS = ("phone", "email", "address")
CASE_FIELDS = (
    "status", "trafficking_status", "trafficking_status_decided_by", "exploitation_types",
    "sex_exploitation_types", "polaris_type", "industry", "methods_of_control", "recruitment_methods",
    "recruitment_websites", "relationship_to_trafficker", "referral_source", "county", "summary", "closure_reason",
    "living_situation_at_closure", "hhs_letter", "outcome",
)


class EditConflict(Exception):
    """Someone else saved the record after this person opened it (optimistic locking)."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _(
            "Someone else changed this record after you opened it. Your changes were not saved: "
            "reload the page to see their changes, then make yours again."
        ))


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
            setattr(person, name, value if value is not None or name in ("estimated_age", "aliases",
                                                                           "age_when_trafficked") else "")
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
    person.phone_bidx = identity.phone_index(contact.get("phone", ""))
    person.email_bidx = identity.email_index(contact.get("email", ""))


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


def _default_owner(actor: User, owner: User | None) -> User | None:
    if owner is None:
        return actor if actor.agency_id else None
    if owner.agency_id != actor.agency_id:
        raise ValidationError(_("A case can only be assigned to someone in your agency."))
    return owner


@transaction.atomic
def open_case(actor: User, *, from_tip: Any = None, person: Person | None = None, owner: User | None = None,
              **fields: Any) -> Case:
    """Intake: create the person (or reuse one of the agency's) and the case, with a services consent.

    `from_tip` is a tip record (anything with a `public_id`); the tip is linked, not copied.
    """
    require(actor, Action.CREATE, "case")
    if actor.agency_id is None:
        raise ValidationError(_("Only staff of an agency can open cases."))
    if person is None:
        require(actor, Action.CREATE, "person")
        person = Person(agency_id=actor.agency_id)
        _apply_person(person, fields)
        person.save()
        record(actor, AuditAction.CREATE, person, reason="intake")
    elif person.agency_id != actor.agency_id:
        raise AccessDenied("person belongs to another agency")
    case = Case(person=person, agency_id=actor.agency_id, owner=_default_owner(actor, owner))
    _apply_case(case, fields)
    if from_tip is not None and getattr(from_tip, "public_id", None):
        case.tip_refs = [from_tip.public_id]
        case.referral_source = case.referral_source or ReferralSource.HOTLINE  # it came in through the tip line
    case.save()
    record(actor, AuditAction.CREATE, case, reason="intake from tip" if from_tip is not None else "intake")
    if fields.get("consent_services", True):
        Consent.objects.create(case=case, kind=ConsentKind.SERVICES, granted_at=timezone.now(), recorded_by=actor,
                               method=fields.get("consent_method", "verbal"))
    return case


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
    if "owner" in fields:
        require(actor, Action.ASSIGN, "case", case)
        owner = fields.pop("owner")
        case.owner = _default_owner(actor, owner) if owner is not None else None  # None: unassigned
    _apply_case(case, fields)
    if case.status in (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED):
        if not case.closure_reason:
            raise ValidationError(_("Give a closure reason when closing a case."))
        case.closed_at = case.closed_at or timezone.now()
    else:
        case.closed_at = None
    names = (*CASE_FIELDS, "primary_type", "closed_at", "owner")
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
    names = (*PERSON_FIELDS, "contact", "age_at_intake", "minor_at_intake", "minor_when_trafficked", "name_bidx",
             "fuzzy_bidx", "phone_bidx", "email_bidx")
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


@transaction.atomic
def add_note(actor: User, case: Case, body: str) -> CaseNote:
    require(actor, Action.CREATE, "note", CaseNote(case=case))
    if not body.strip():
        raise ValidationError(_("The note is empty."))
    note = CaseNote.objects.create(case=case, author=actor, body=body.strip())
    record(actor, AuditAction.CREATE, note)
    return note


@transaction.atomic
def add_attachment(actor: User, case: Case, *, filename: str, data: bytes) -> Attachment:
    require(actor, Action.CREATE, "attachment", Attachment(case=case))
    clean, content_type = files.clean_upload(data)
    storage_name, digest = files.store(clean)
    try:
        attachment = Attachment.objects.create(
            case=case, uploaded_by=actor, filename=filename[:200] or "file", content_type=content_type,
            size=len(clean), sha256=digest, storage_name=storage_name,
        )
    except Exception:
        files.remove(storage_name)
        raise
    record(actor, AuditAction.CREATE, attachment)
    return attachment


def read_attachment(actor: User, attachment: Attachment) -> bytes:
    require(actor, Action.VIEW, "attachment", attachment)
    record(actor, AuditAction.VIEW, attachment, reason="download")
    return files.load(attachment.storage_name)


# Consent -------------------------------------------------------------------------------------------


@transaction.atomic
def grant_consent(actor: User, case: Case, *, kind: str, agency: Agency | None = None,
                  method: str = "verbal") -> Consent:
    require(actor, Action.CREATE, "consent", Consent(case=case))
    if kind == ConsentKind.REFERRAL and agency is None:
        raise ValidationError(_("Consent to a referral names the agency it is for."))
    if kind != ConsentKind.REFERRAL:
        agency = None
    existing = Consent.objects.filter(case=case, kind=kind, agency=agency, revoked_at__isnull=True).first()
    if existing:
        return existing
    consent = Consent.objects.create(case=case, kind=kind, agency=agency, method=method,
                                     granted_at=timezone.now(), recorded_by=actor)
    record(actor, AuditAction.CREATE, consent, reason=f"consent {kind}")
    return consent


@transaction.atomic
def revoke_consent(actor: User, consent: Consent) -> Consent:
    """Revocation takes effect now: shared access ends (the policy reads consents) and pending
    referrals that depended on this consent are withdrawn."""
    require(actor, Action.UPDATE, "consent", consent)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.revoked_at is not None:
        return consent
    now = timezone.now()
    consent.revoked_at, consent.revoked_by = now, actor
    consent.save(update_fields=["revoked_at", "revoked_by"])
    record(actor, AuditAction.REVOKE, consent, reason=f"consent {consent.kind}")
    dependent = Referral.objects.select_for_update().filter(case_id=consent.case_id, status=ReferralStatus.SENT)
    if consent.kind == ConsentKind.REFERRAL:
        dependent = dependent.filter(to_agency_id=consent.agency_id)
    elif consent.kind == ConsentKind.LAW_ENFORCEMENT:
        dependent = dependent.filter(to_agency__type=AgencyType.LAW_ENFORCEMENT)
    else:
        dependent = dependent.none()
    for referral in dependent:
        _set_referral_status(actor, referral, ReferralStatus.WITHDRAWN, note="consent revoked")
    if consent.kind in (ConsentKind.REFERRAL, ConsentKind.LAW_ENFORCEMENT):
        accepted = Referral.objects.filter(case_id=consent.case_id, status=ReferralStatus.ACCEPTED)
        if consent.kind == ConsentKind.REFERRAL:
            accepted = accepted.filter(to_agency_id=consent.agency_id)
        for referral in accepted:
            ReferralEvent.objects.create(referral=referral, at=now, status=referral.status, actor=actor,
                                         note="consent revoked: shared access ended")
            record(actor, AuditAction.REVOKE, referral, reason="shared access ended by consent revocation")
    return consent


# Service plan, relief, tasks ---------------------------------------------------------------------------


@transaction.atomic
def add_need(actor: User, case: Case, *, category: str, priority: str = "normal") -> ServiceNeed:
    require(actor, Action.UPDATE, "case", case)
    need, _created = ServiceNeed.objects.get_or_create(case=case, category=category, defaults={"priority": priority})
    record(actor, AuditAction.UPDATE, case, reason="service need")
    return need


@transaction.atomic
def add_goal(actor: User, case: Case, *, text: str) -> ServiceGoal:
    require(actor, Action.UPDATE, "case", case)
    goal = ServiceGoal.objects.create(case=case, text=text)
    record(actor, AuditAction.UPDATE, case, reason="service goal")
    return goal


@transaction.atomic
def add_plan_item(actor: User, case: Case, **fields: Any) -> ServicePlanItem:
    require(actor, Action.UPDATE, "case", case)
    item = ServicePlanItem.objects.create(case=case, **fields)
    ServiceNeed.objects.get_or_create(case=case, category=item.category)
    record(actor, AuditAction.UPDATE, case, reason="service plan item")
    return item


@transaction.atomic
def update_plan_item(actor: User, item: ServicePlanItem, *, status: str, outcome: str = "") -> ServicePlanItem:
    require(actor, Action.UPDATE, "case", item.case)
    item.status = status
    if outcome:
        item.outcome = outcome
    if status == PlanItemStatus.COMPLETED and not item.completed_on:
        item.completed_on = _today()
    item.save()
    record(actor, AuditAction.UPDATE, item.case, reason="service plan item")
    return item


@transaction.atomic
def add_relief(actor: User, case: Case, *, kind: str) -> ReliefApplication:
    require(actor, Action.UPDATE, "case", case)
    application, _created = ReliefApplication.objects.get_or_create(case=case, kind=kind)
    record(actor, AuditAction.UPDATE, case, reason="immigration relief")
    return application


@transaction.atomic
def add_milestone(actor: User, application: ReliefApplication, *, kind: str, due_date: dt.date | None = None,
                  reached_on: dt.date | None = None) -> ReliefMilestone:
    require(actor, Action.UPDATE, "case", application.case)
    if due_date is None and reached_on is None:
        raise ValidationError(_("Give a due date or the date the milestone was reached."))
    milestone = ReliefMilestone.objects.create(application=application, kind=kind, due_date=due_date,
                                               reached_on=reached_on)
    record(actor, AuditAction.UPDATE, application.case, reason="relief milestone")
    return milestone


@transaction.atomic
def reach_milestone(actor: User, milestone: ReliefMilestone, on: dt.date | None = None) -> ReliefMilestone:
    require(actor, Action.UPDATE, "case", milestone.application.case)
    milestone.reached_on = on or _today()
    milestone.save(update_fields=["reached_on"])
    record(actor, AuditAction.UPDATE, milestone.application.case, reason="relief milestone reached")
    return milestone


@transaction.atomic
def add_task(actor: User, case: Case | None, *, title: str, due_date: dt.date,
             assignee: User | None = None) -> Task:
    if case is not None:
        require(actor, Action.UPDATE, "case", case)
    assignee = assignee or actor
    if assignee.agency_id != actor.agency_id:
        raise ValidationError(_("Tasks can only be given to someone in your agency."))
    task = Task.objects.create(case=case, assignee=assignee, title=title, due_date=due_date)
    record(actor, AuditAction.CREATE, task)
    return task


@transaction.atomic
def complete_task(actor: User, task: Task) -> Task:
    if task.assignee_id != actor.pk and not (task.case and _can_update(actor, task.case)):
        raise AccessDenied("not your task")
    Task.objects.filter(pk=task.pk, done_at__isnull=True).update(done_at=timezone.now())
    task.refresh_from_db()
    record(actor, AuditAction.UPDATE, task, reason="task done")
    return task


def _can_update(actor: User, case: Case) -> bool:
    from beacon.access.policy import can

    return can(actor, Action.UPDATE, "case", case)


# Referrals ----------------------------------------------------------------------------------------------


def notify(user: User, key: str, text: str, url: str = "") -> Notification | None:
    """One notice per (user, key): reminders re-run without repeating themselves."""
    try:
        with transaction.atomic():
            return Notification.objects.create(user=user, key=key[:120], text=text[:300], url=url)
    except IntegrityError:
        return None


def _agency_staff(agency_id: int):
    return User.objects.filter(agency_id=agency_id, is_active=True,
                               role__in=[Role.CASEWORKER, Role.SUPERVISOR, Role.INVESTIGATOR])


def consent_for_referral(case: Case, to_agency: Agency) -> Consent | None:
    consent = Consent.objects.filter(case=case, kind=ConsentKind.REFERRAL, agency=to_agency,
                                     revoked_at__isnull=True).first()
    if consent and to_agency.type == AgencyType.LAW_ENFORCEMENT and not Consent.objects.filter(
        case=case, kind=ConsentKind.LAW_ENFORCEMENT, revoked_at__isnull=True
    ).exists():
        return None
    return consent


@transaction.atomic
def send_referral(actor: User, case: Case, *, to_agency: Agency, service: str, shared_fields: list[str],
                  message: str = "", provider: Any = None, reason: str = "AdditionalServicesRequired") -> Referral:
    require(actor, Action.CREATE, "referral", Referral(case=case, from_agency_id=case.agency_id, sent_by=actor))
    require(actor, Action.UPDATE, "case", case)
    if case.agency_id != actor.agency_id:
        raise AccessDenied("only the owning agency refers a case")
    if to_agency.pk == case.agency_id:
        raise ValidationError(_("Choose another agency: this case is already held by yours."))
    unknown = [f for f in shared_fields if f not in SHAREABLE_FIELDS]
    if unknown or not shared_fields:
        raise ValidationError(_("Choose at least one field to share, from the list offered."))
    consent = consent_for_referral(case, to_agency)
    if consent is None:
        raise ValidationError(
            _("The survivor has not consented to a referral to %(agency)s. Record that consent first.")
            % {"agency": to_agency.name}
            if to_agency.type != AgencyType.LAW_ENFORCEMENT
            else _("Referring to law enforcement needs the survivor's consent to share with law enforcement "
                   "and to a referral to %(agency)s.") % {"agency": to_agency.name}
        )
    if Referral.objects.filter(case=case, to_agency=to_agency, status=ReferralStatus.SENT).exists():
        raise ValidationError(_("A referral to this agency is already waiting for an answer."))
    now = timezone.now()
    referral = Referral.objects.create(
        case=case, from_agency_id=case.agency_id, to_agency=to_agency, provider=provider, service=service,
        reason=reason, shared_fields=[f for f in SHAREABLE_FIELDS if f in shared_fields], message=message,
        consent=consent, sent_by=actor, sent_at=now,
    )
    ReferralEvent.objects.create(referral=referral, at=now, status=ReferralStatus.SENT, actor=actor)
    record(actor, AuditAction.SHARE, referral, reason=f"referral to agency {to_agency.public_id}")
    url = reverse("cases:referral", args=[referral.public_id])
    for user in _agency_staff(to_agency.pk):
        notify(user, f"referral-new:{referral.public_id}",
               _("New referral %(id)s is waiting for your agency's answer.") % {"id": referral.public_id}, url)
    return referral


def _set_referral_status(actor: User, referral: Referral, status: str, note: str = "") -> Referral:
    now = timezone.now()
    updated = Referral.objects.filter(pk=referral.pk, version=referral.version).update(
        status=status, version=F("version") + 1, responded_at=now if status in (
            ReferralStatus.ACCEPTED, ReferralStatus.DECLINED) else F("responded_at"),
        responded_by=actor if status in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED) else F("responded_by"),
        decline_reason=note if status == ReferralStatus.DECLINED else F("decline_reason"),
    )
    if not updated:
        raise EditConflict(_("This referral was answered by someone else a moment ago. Reload to see it."))
    referral.refresh_from_db()
    ReferralEvent.objects.create(referral=referral, at=now, status=status, actor=actor, note=note[:300])
    record(actor, AuditAction.UPDATE, referral, reason=f"referral {status}")
    return referral


_ALLOWED = {
    ReferralStatus.ACCEPTED: {ReferralStatus.SENT},
    ReferralStatus.DECLINED: {ReferralStatus.SENT},
    ReferralStatus.COMPLETED: {ReferralStatus.ACCEPTED},
    ReferralStatus.WITHDRAWN: {ReferralStatus.SENT, ReferralStatus.ACCEPTED},
}


def _transition(actor: User, referral: Referral, status: str, *, receiving: bool, note: str = "") -> Referral:
    require(actor, Action.UPDATE, "referral", referral)
    agency_id = referral.to_agency_id if receiving else referral.from_agency_id
    if actor.agency_id != agency_id:
        raise AccessDenied("wrong side of the referral")
    if referral.status not in _ALLOWED[status]:
        raise ValidationError(_("This referral is %(status)s and cannot be changed that way.")
                              % {"status": referral.get_status_display()})
    return _set_referral_status(actor, referral, status, note)


@transaction.atomic
def accept_referral(actor: User, referral: Referral) -> Referral:
    if referral.status == ReferralStatus.SENT and consent_for_referral(referral.case, referral.to_agency) is None:
        raise ValidationError(_("The survivor's consent for this referral is no longer in force."))
    referral = _transition(actor, referral, ReferralStatus.ACCEPTED, receiving=True)
    _notify_sender(referral, _("Referral %(id)s was accepted."))
    return referral


@transaction.atomic
def decline_referral(actor: User, referral: Referral, *, reason: str) -> Referral:
    if not reason.strip():
        raise ValidationError(_("Say why the referral is declined, so the sender can find another provider."))
    referral = _transition(actor, referral, ReferralStatus.DECLINED, receiving=True, note=reason.strip())
    _notify_sender(referral, _("Referral %(id)s was declined."))
    return referral


@transaction.atomic
def complete_referral(actor: User, referral: Referral) -> Referral:
    side = actor.agency_id == referral.to_agency_id
    return _transition(actor, referral, ReferralStatus.COMPLETED, receiving=side)


@transaction.atomic
def withdraw_referral(actor: User, referral: Referral, *, reason: str = "") -> Referral:
    return _transition(actor, referral, ReferralStatus.WITHDRAWN, receiving=False, note=reason)


def _notify_sender(referral: Referral, template: str) -> None:
    if referral.sent_by_id:
        notify(referral.sent_by, f"referral-{referral.status}:{referral.public_id}",
               template % {"id": referral.public_id},
               reverse("cases:detail", args=[referral.case.public_id]))


def mark_notification_read(actor: User, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, user=actor, read_at__isnull=True).update(read_at=timezone.now())


__all__ = [
    "OPEN_STATUSES",
    "EditConflict",
    "accept_referral",
    "add_attachment",
    "add_event",
    "add_goal",
    "add_milestone",
    "add_need",
    "add_note",
    "add_perpetrator",
    "add_plan_item",
    "add_relief",
    "add_task",
    "complete_referral",
    "complete_task",
    "decline_referral",
    "grant_consent",
    "open_case",
    "reach_milestone",
    "read_attachment",
    "revoke_consent",
    "send_referral",
    "update_case",
    "update_person",
    "update_plan_item",
    "withdraw_referral",
]
