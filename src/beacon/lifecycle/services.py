"""Legal holds and erasure on request, each checked by the access policy and audited.

Audit entries name the record and the action, never the hold's reason or anything erased.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beacon.access.policy import AccessDenied, Action, RecordRefused, can, require
from beacon.accounts.models import User
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.cases import files
from beacon.cases.models import (
    Attachment,
    Case,
    CaseNote,
    Consent,
    ConsentKind,
    Perpetrator,
    Person,
    Referral,
    ServiceGoal,
    ServicePlanItem,
    Task,
    TraffickingEvent,
)
from beacon.lifecycle import selectors
from beacon.lifecycle.models import Erasure, LegalHold
from beacon.messaging.models import Conversation
from beacon.screening.models import Screening
from beacon.tips.models import Tip, TipIdentifier, TipMessage, TipPhoto

REASON_MAX = 500


class LifecycleRefused(Exception):
    """A hold or an erasure that cannot be done, with a message for the person who asked."""


@dataclass(frozen=True)
class HoldTarget:
    kind: str  # "case" or "tip"
    public_id: str


def _target(actor: User, target: HoldTarget, action: str) -> Case | Tip:
    """The case or tip a hold names, if it belongs to the actor's agency (an unassigned tip: if the
    actor may see it). A real record elsewhere is "not found" to the actor and a refusal in the audit."""
    if target.kind not in ("case", "tip"):
        raise ValidationError(_("Choose a case or a tip."))
    model = Case if target.kind == "case" else Tip
    record_ = model.objects.filter(public_id=target.public_id.strip().upper()).first()
    if record_ is None:
        record_ = model.objects.filter(public_id=target.public_id.strip()).first()
    if record_ is None:
        message = (
            _("There is no case with the id %(id)s.") if model is Case else _("There is no tip with the id %(id)s.")
        )
        raise LifecycleRefused(message % {"id": target.public_id})
    agency_id = record_.agency_id
    if agency_id is None and isinstance(record_, Tip) and can(actor, Action.VIEW, "tip", record_):
        agency_id = actor.agency_id
    if not can(actor, action, "legal_hold", LegalHold(agency_id=agency_id)):
        raise RecordRefused(record_, action)
    return record_


def place_hold(actor: User, target: HoldTarget, reason: str) -> LegalHold:
    """Place a legal hold on a case or a tip of the actor's agency: it is kept past its retention
    period and cannot be erased until the hold is released."""
    require(actor, Action.CREATE, "legal_hold")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the hold (the matter, court or request it answers)."))
    if len(reason) > REASON_MAX:
        raise ValidationError(_("The reason is too long (at most %(n)d characters).") % {"n": REASON_MAX})
    with transaction.atomic():
        found = _target(actor, target, Action.CREATE)
        model = type(found)
        locked = model.objects.select_for_update().get(pk=found.pk)  # the purge locks the same row
        field = "case" if model is Case else "tip"
        if selectors.standing().filter(**{field: locked}).exists():
            raise LifecycleRefused(_("%(id)s is already under a legal hold.") % {"id": locked.public_id})
        agency_id = locked.agency_id or actor.agency_id
        try:
            with transaction.atomic():
                hold = LegalHold.objects.create(
                    **{field: locked},
                    agency_id=agency_id,
                    reason=reason,
                    placed_by=actor,
                    placed_at=timezone.now(),
                )
        except IntegrityError:
            raise LifecycleRefused(_("%(id)s is already under a legal hold.") % {"id": locked.public_id}) from None
        record(actor, AuditAction.CREATE, hold, reason=f"legal hold on {field} {locked.public_id}")
    return hold


def release_hold(actor: User, public_id: str, reason: str = "") -> LegalHold:
    require(actor, Action.UPDATE, "legal_hold")
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError(_("The reason is too long (at most %(n)d characters).") % {"n": REASON_MAX})
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().filter(public_id=public_id).first()
        if hold is None:
            raise LifecycleRefused(_("That hold does not exist."))
        if not can(actor, Action.UPDATE, "legal_hold", hold):
            raise RecordRefused(hold, Action.UPDATE)
        if not hold.active:
            raise LifecycleRefused(_("That hold was already released."))
        hold.released_at, hold.released_by, hold.release_reason = timezone.now(), actor, reason
        hold.save(update_fields=["released_at", "released_by", "release_reason"])
        target = hold.case or hold.tip
        record(actor, AuditAction.UPDATE, hold, reason=f"legal hold released on {hold.target_kind} {target.public_id}")
    return hold


# --- Erasure on request --------------------------------------------------------------------------

PERSON_FIELDS_ERASED = (
    "given_name",
    "family_name",
    "aliases",
    "birth_date",
    "contact",
    "immigration_status",
    "described_in_tip",
    "name_bidx",
    "fuzzy_bidx",
    "phone_bidx",
    "email_bidx",
)
# Coded demographics: kept for statistics only while the survivor's consent to statistics stands.
PERSON_CODED = ("gender", "citizenship", "languages", "estimated_age", "age_at_intake", "age_when_trafficked")


@dataclass(frozen=True)
class ErasureReport:
    erasure: Erasure
    cases: list[str]
    tips: list[str]
    attachments: int
    notes: int
    messages: int


def erasure_case(actor: User, public_id: str) -> Case:
    """The case an erasure starts from: one the actor may update, in their agency."""
    case = Case.objects.select_related("person").filter(public_id=public_id.strip()).first()
    if case is None:
        case = Case.objects.select_related("person").filter(public_id=public_id.strip().upper()).first()
    if case is None:
        raise LifecycleRefused(_("There is no case with the id %(id)s.") % {"id": public_id})
    if not can(actor, Action.UPDATE, "case", case) or not can(
        actor, Action.CREATE, "erasure", Erasure(agency_id=case.agency_id)
    ):
        raise RecordRefused(case, Action.UPDATE)
    return case


def erase_person(actor: User, case_public_id: str, *, confirm: str) -> ErasureReport:
    """Destroy the personal data of the survivor of a case, on their request.

    Names, birth date, contacts, immigration status, blind indexes, the case summary, outcome,
    notes, attachments (deleted from storage), task titles, service goals, event and perpetrator
    descriptions, referral messages, screening answers and notes, and the content of the tips that
    became the case (narrative, people, identifiers, messages, photos, text conversations) are
    cleared or deleted, for every case of that person. The cases stay with their coded facts
    (status, dates, county, exploitation types, relief) for the agency's federal counts; the
    person's coded demographics stay only while consent to statistics stands. Refused while a
    legal hold stands on any of the cases or their tips.
    """
    require(actor, Action.CREATE, "erasure")
    case = erasure_case(actor, case_public_id)
    if confirm.strip().upper() != case.public_id.upper():
        raise ValidationError(_("Type the case id %(id)s to confirm the erasure.") % {"id": case.public_id})
    removed_files: list[str] = []
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=case.person_id)
        cases = list(Case.objects.select_for_update().filter(person=person).order_by("pk"))
        for other in cases:
            if not can(actor, Action.UPDATE, "case", other):
                raise AccessDenied(
                    _("This person has a case at another agency; that agency must erase it."),
                    record=other,
                    action=Action.UPDATE,
                    resource="case",
                )
        case_ids = [c.pk for c in cases]
        tips = list(Tip.objects.select_for_update().filter(case_id__in=case_ids).order_by("pk"))
        tip_ids = [t.pk for t in tips]
        held = selectors.holds_on(case_ids, tip_ids)
        if held:
            names = ", ".join(sorted({(h.case or h.tip).public_id for h in held}))
            raise LifecycleRefused(
                _(
                    "Not erased: %(ids)s is under a legal hold. The hold must be released first, by "
                    "whoever placed it or your agency's administrator."
                )
                % {"ids": names}
            )
        if Erasure.objects.filter(person=person).exists():
            raise LifecycleRefused(_("This person's personal data was already erased."))
        statistics = Consent.objects.filter(
            case_id__in=case_ids, kind=ConsentKind.STATISTICS, revoked_at__isnull=True
        ).exists()

        for name in PERSON_FIELDS_ERASED:
            setattr(person, name, None if name in ("aliases", "contact") else "")
        person.from_tip_unconfirmed = False
        if not statistics:
            person.gender = person.citizenship = ""
            person.languages = []
            person.estimated_age = person.age_at_intake = person.age_when_trafficked = None
            person.minor_at_intake = person.minor_when_trafficked = False
        person.version += 1
        person.save()

        attachments = Attachment.objects.filter(case_id__in=case_ids)
        removed_files = list(attachments.values_list("storage_name", flat=True))
        n_attachments = attachments.delete()[1].get("cases.Attachment", 0)
        n_notes = CaseNote.objects.filter(case_id__in=case_ids).delete()[1].get("cases.CaseNote", 0)
        Task.objects.filter(case_id__in=case_ids).delete()
        ServiceGoal.objects.filter(case_id__in=case_ids).delete()
        TraffickingEvent.objects.filter(case_id__in=case_ids).update(description="")
        Perpetrator.objects.filter(case_id__in=case_ids).update(description="")
        ServicePlanItem.objects.filter(case_id__in=case_ids).update(outcome="")
        Referral.objects.filter(case_id__in=case_ids).update(message="", decline_reason="")
        Screening.objects.filter(case_id__in=case_ids).update(answers={}, notes="", result=None)
        for item in cases:
            item.summary = item.outcome = item.closure_reason = ""
            item.signs_from_tip = {}
            item.version += 1
            item.save()

        n_messages = TipMessage.objects.filter(tip_id__in=tip_ids).delete()[1].get("tips.TipMessage", 0)
        TipPhoto.objects.filter(tip_id__in=tip_ids).delete()
        TipIdentifier.objects.filter(tip_id__in=tip_ids).delete()
        Conversation.objects.filter(tip_id__in=tip_ids).delete()
        Screening.objects.filter(tip_id__in=tip_ids).update(answers={}, notes="", result=None)
        Tip.objects.filter(pk__in=tip_ids).update(
            narrative="", place="", when_detail="", people={}, checklist={}, contact_detail=""
        )

        erasure = Erasure.objects.create(
            person=person,
            agency_id=person.agency_id,
            erased_by=actor,
            erased_at=timezone.now(),
            statistics_kept=statistics,
        )
        record(actor, AuditAction.ERASE, person, reason="erasure on request")
        for item in cases:
            record(actor, AuditAction.ERASE, item, reason="erasure on request")
        case_ref = {c.pk: c.public_id for c in cases}
        for tip in tips:
            record(actor, AuditAction.ERASE, tip, reason=f"erasure on request (case {case_ref[tip.case_id]})")
        transaction.on_commit(lambda: [files.remove(name) for name in removed_files])
    return ErasureReport(
        erasure=erasure,
        cases=[c.public_id for c in cases],
        tips=[t.public_id for t in tips],
        attachments=n_attachments,
        notes=n_notes,
        messages=n_messages,
    )
