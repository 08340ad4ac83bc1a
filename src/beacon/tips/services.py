"""Writes on tips: intake (portal and gateways), the reporter's return, and staff triage actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beacon.access.policy import Action, can, require
from beacon.accounts.models import Agency, User
from beacon.accounts.roles import Role
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.cases.services import CaseFromTip, open_case_from_tip
from beacon.reference.models import County
from beacon.reference.vocabularies import choices
from beacon.tips import channels, codenames, urgency
from beacon.tips.identifiers import indexes_from_people
from beacon.tips.models import (
    Author,
    Channel,
    ChildInvolved,
    CloseReason,
    LocationKind,
    MessageKind,
    Status,
    Tip,
    TipEvent,
    TipIdentifier,
    TipMessage,
    TipPhoto,
    When,
)
from beacon.tips.notifications import tell_about_follow_up
from beacon.tips.photos import encode
from beacon.tips.tokens import key_hash

# A retry within this window shows the codename again (the first answer may have been lost);
# later, a replayed form only says the report was received.
CODENAME_REPLAY_WINDOW = timedelta(minutes=15)


CONTACT_PREFERENCES = ("codename", "phone", "email")
CHECKLIST_ANSWERS = ("yes", "no", "unknown")
MAX_NARRATIVE = 10_000


@dataclass
class TipInput:
    """One tip as any intake channel hands it over; it checks itself when it is built.

    Raises `ValidationError` (keyed by field) for a value no channel may store: the gateway API
    answers it as a 422, the portal form only ever builds one from choices it already offered.
    """

    narrative: str
    location_kind: str = LocationKind.ELSEWHERE
    county_fips: str | None = None
    place: str = ""
    when: str = "unknown"
    when_detail: str = ""
    people: dict[str, Any] = field(default_factory=dict)
    checklist: dict[str, str] = field(default_factory=dict)
    child_involved: str = "unknown"
    danger_now: bool = False
    contact_preference: str = "codename"
    contact_detail: str = ""
    consent_law_enforcement: bool = False
    language: str = "en"
    self_report: bool = False  # the person it happened to is reporting

    def __post_init__(self) -> None:
        errors: dict[str, str] = {}
        if not self.narrative.strip():
            errors["narrative"] = "narrative is required"
        elif len(self.narrative) > MAX_NARRATIVE:
            errors["narrative"] = f"narrative is longer than {MAX_NARRATIVE} characters"
        elif "\x00" in self.narrative:
            errors["narrative"] = "narrative contains binary data"
        allowed = {
            "location_kind": (self.location_kind, LocationKind.values),
            "when": (self.when, When.values),
            "child_involved": (self.child_involved, ChildInvolved.values),
            "contact_preference": (self.contact_preference, CONTACT_PREFERENCES),
        }
        for name, (value, values) in allowed.items():
            if value not in values:
                errors[name] = f"{name} must be one of: {', '.join(values)}"
        # "In an Illinois county" without the county is allowed: a reporter may know the state and
        # not the county (the tip form's default), and triage sets it later.
        if self.county_fips and not County.objects.filter(fips=self.county_fips).exists():
            errors["county_fips"] = "county_fips is not an Illinois county FIPS code"
        if any(answer not in CHECKLIST_ANSWERS or len(item) > 40 for item, answer in self.checklist.items()):
            errors["checklist"] = "checklist answers must be yes, no or unknown"
        if errors:
            raise ValidationError(errors)


@dataclass(frozen=True)
class Submitted:
    tip: Tip
    codename: str | None  # None when a late replay must not reveal it again
    created: bool


def _current_codename(tip: Tip, nonce: str) -> str:
    """The codename the tip opens with now: in the reporter's words, or digits if they switched."""
    codename = codenames.derive(nonce, tip.language)
    if codenames.lookup_index(codename) != tip.codename_index:
        codename = codenames.derive(nonce, tip.language, codenames.Style.DIGITS)
    return codename


def _replay(tip: Tip, nonce: str) -> Submitted:
    fresh = timezone.now() - tip.created_at < CODENAME_REPLAY_WINDOW
    return Submitted(tip=tip, codename=_current_codename(tip, nonce) if fresh else None, created=False)


def _find(key: str) -> Tip | None:
    # Only what an acknowledgement shows: the encrypted columns stay sealed.
    fields = (
        "id",
        "public_id",
        "created_at",
        "status",
        "urgency_score",
        "danger_now",
        "child_involved",
        "language",
        "county",
        "codename_index",
    )
    return Tip.objects.filter(submission_key=key).only(*fields).first()


def submit_tip(
    data: TipInput,
    *,
    nonce: str,
    idempotency_key: str,
    photos: list[bytes] | tuple[bytes, ...] = (),
    channel: str = Channel.WEB,
    actor: User | None = None,
    agency: Agency | None = None,
    exploitation_types: list[str] | tuple[str, ...] = (),
) -> Submitted:
    """Store a tip exactly once per idempotency key; return it with the reporter's codename.

    `agency` puts the tip straight into that agency's queue (a submission collected by its own
    outreach workers) instead of the statewide intake; `exploitation_types` are HTCDS codes
    already established by the one who collected it.

    `photos` are already cleaned of metadata. The codename is derived from `nonce`, hashed, and
    never stored. The caller shows the acknowledgement only after this returns (committed).
    """
    if actor is not None:
        require(actor, Action.CREATE, "tip")
    key = key_hash(idempotency_key)
    # No look-up first: a repeat is rare, and the unique submission key turns it into an
    # IntegrityError below, answered with the stored tip. New tips save a query.
    codename = codenames.derive(nonce, data.language)
    in_illinois = data.location_kind in (LocationKind.COUNTY, LocationKind.CITY)
    points, reasons = urgency.score(
        urgency.Signals(
            danger_now=data.danger_now,
            child_involved=data.child_involved,
            checklist=data.checklist,
            when=data.when,
            in_illinois=in_illinois,
            self_report=data.self_report,
            now=timezone.now(),
        )
    )
    tip = Tip(
        channel=channel,
        language=data.language,
        narrative=data.narrative,
        location_kind=data.location_kind,
        county_id=data.county_fips or None,
        in_illinois=in_illinois,
        place=data.place,
        when=data.when,
        when_detail=data.when_detail,
        people=data.people,
        checklist=data.checklist,
        child_involved=data.child_involved,
        danger_now=data.danger_now,
        contact_preference=data.contact_preference,
        contact_detail=data.contact_detail if data.contact_preference != "codename" else "",
        consent_law_enforcement=data.consent_law_enforcement,
        self_report=data.self_report,
        urgency_score=points,
        urgency_reasons=reasons,
        intake_user=actor,
        agency=agency,
        exploitation_types=list(exploitation_types),
        codename_hash=codenames.slow_hash(codename),
        codename_index=codenames.lookup_index(codename),
        submission_key=key,
    )
    identifiers = indexes_from_people(data.people)
    try:
        with transaction.atomic():
            tip.save()
            TipIdentifier.objects.bulk_create(
                [TipIdentifier(tip=tip, kind=kind, index=index) for kind, index in sorted(identifiers)]
            )
            if photos:
                TipPhoto.objects.bulk_create([TipPhoto(tip=tip, data=encode(p)) for p in photos])
            record(actor, AuditAction.CREATE, tip, reason=f"tip received ({channel})")
    except IntegrityError:
        # The same submission won a race (double click, concurrent retry): answer with that one.
        existing = _find(key)
        if existing is None:
            raise
        return _replay(existing, nonce)
    return Submitted(tip=tip, codename=codename, created=True)


def switch_codename_to_digits(*, nonce: str, idempotency_key: str) -> Submitted | None:
    """Give the tip of this submission a codename of digits instead of words; the words stop working.

    Offered on the acknowledgement only, within the window in which it may show the codename
    again; None after that or for an unknown submission. Repeating it gives the same digits.
    """
    tip = _find(key_hash(idempotency_key))
    if tip is None or timezone.now() - tip.created_at >= CODENAME_REPLAY_WINDOW:
        return None
    codename = codenames.derive(nonce, tip.language, codenames.Style.DIGITS)
    index = codenames.lookup_index(codename)
    if tip.codename_index != index:
        with transaction.atomic():
            Tip.objects.filter(pk=tip.pk).update(codename_hash=codenames.slow_hash(codename), codename_index=index)
            record(None, AuditAction.UPDATE, tip, reason="reporter chose a codename of digits")
        tip.codename_index = index
    return Submitted(tip=tip, codename=codename, created=False)


def reissue_codename(tip: Tip, *, nonce: str, language: str) -> str:
    """A new codename for a tip whose reporter has just told us their language (a text message
    opened the tip before we knew it); the earlier codename stops working. Returns the codename,
    which is shown once and never stored."""
    codename = codenames.derive(nonce, language)
    with transaction.atomic():
        Tip.objects.filter(pk=tip.pk).update(
            language=language,
            codename_hash=codenames.slow_hash(codename),
            codename_index=codenames.lookup_index(codename),
            updated_at=timezone.now(),
        )
        record(None, AuditAction.UPDATE, tip, reason="reporter chose a language; codename issued in it")
    tip.language = language
    return codename


def find_by_codename(codename: str) -> Tip | None:
    """The tip a codename opens: found by its keyed index, confirmed by the argon2 hash."""
    if not codename or len(codename) > 300:
        return None
    tip = Tip.objects.filter(codename_index=codenames.lookup_index(codename)).first()
    if tip is None or not codenames.verify(tip.codename_hash, codename):
        return None
    return tip


def add_reporter_information(
    tip: Tip, *, body: str, idempotency_key: str, photos: list[bytes] | tuple[bytes, ...] = ()
) -> TipMessage:
    """The reporter adds information through their codename; exactly once per follow-up token."""
    key = key_hash("add:" + idempotency_key)
    existing = TipMessage.objects.filter(submission_key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            message = TipMessage.objects.create(
                tip=tip, author=Author.REPORTER, kind=MessageKind.ADDITION, body=body, submission_key=key
            )
            if photos:
                TipPhoto.objects.bulk_create([TipPhoto(tip=tip, message=message, data=encode(p)) for p in photos])
            tip = _locked(tip)
            now = timezone.now()
            tip.reporter_updated_at = now
            if tip.status == Status.AWAITING_INFO:
                tip.status = Status.IN_REVIEW
            before = tip.urgency_score
            _rescore(tip, now=now)
            _save(tip, "reporter_updated_at", "status", "urgency_score", "urgency_reasons")
            _event(None, tip, "reporter_added", f"urgency {before} -> {tip.urgency_score}")
            record(
                None,
                AuditAction.UPDATE,
                tip,
                reason=f"reporter added information; urgency {before} -> {tip.urgency_score}",
            )
            _notify_follow_up(tip, message)
    except IntegrityError:
        existing = TipMessage.objects.filter(submission_key=key).first()
        if existing is None:
            raise
        return existing
    return message


def _rescore(tip: Tip, *, now: Any = None) -> None:
    """Recompute the urgency from the tip's signals as they stand now (staff classification and the
    reporter's latest addition included)."""
    points, reasons = urgency.score(
        urgency.Signals(
            danger_now=tip.danger_now,
            child_involved=tip.child_involved,
            checklist=tip.checklist or {},
            when=tip.when,
            in_illinois=tip.in_illinois,
            exploitation_types=tuple(tip.exploitation_types or ()),
            self_report=tip.self_report,
            last_follow_up=tip.reporter_updated_at,
            now=now or timezone.now(),
        )
    )
    tip.urgency_score, tip.urgency_reasons = points, reasons


def recompute_urgency(tip: Tip, *changed: str) -> None:
    """Save `changed` fields and the urgency they lead to (seeding and imports that set triage fields)."""
    _rescore(tip)
    Tip.objects.filter(pk=tip.pk).update(
        urgency_score=tip.urgency_score,
        urgency_reasons=tip.urgency_reasons,
        **{name: getattr(tip, name) for name in changed},
    )


def _notify_follow_up(tip: Tip, message: TipMessage) -> None:
    """Tell whoever works on the tip (or the intake team when nobody claimed it), in the app and by
    e-mail, after the commit. Texts carry ids only: never what the reporter wrote."""
    transaction.on_commit(lambda: tell_about_follow_up(tip.pk, message.public_id))


# --- Staff actions. Each checks the policy, records an event and an audit entry. -----------------


class TipChanged(ValidationError):
    def __init__(self) -> None:
        super().__init__(_("This tip changed after you opened it. Nothing was saved: look at it again, then retry."))


def _event(actor: User | None, tip: Tip, kind: str, detail: str = "") -> None:
    TipEvent.objects.create(tip=tip, actor=actor, kind=kind, detail=detail[:200])


def _locked(tip: Tip) -> Tip:
    return Tip.objects.select_for_update().get(pk=tip.pk)


def _save(tip: Tip, *fields: str) -> None:
    tip.version += 1
    tip.save(update_fields=[*fields, "version", "updated_at"])


def record_view(actor: User, tip: Tip, reason: str = "tip opened") -> None:
    """Audit the read; a worker who may act on the tip has now seen the reporter's latest addition."""
    require(actor, Action.VIEW, "tip", tip)
    record(actor, AuditAction.VIEW, tip, reason=reason)
    if tip.changed_by_reporter and _can_update(actor, tip):
        tip.staff_seen_at = timezone.now()
        Tip.objects.filter(pk=tip.pk).update(staff_seen_at=tip.staff_seen_at)


def claim(actor: User, tip: Tip, *, version: int) -> Tip:
    """Take the tip to work on; refused when someone else holds it or it changed since it was shown."""
    with transaction.atomic():
        tip = _locked(tip)
        require(actor, Action.UPDATE, "tip", tip)
        if tip.version != version:
            raise TipChanged()
        if tip.claimed_by_id and tip.claimed_by_id != actor.pk:
            raise ValidationError(_("Someone else is already working on this tip."))
        if not tip.is_open:
            raise ValidationError(_("This tip is no longer open."))
        tip.claimed_by, tip.claimed_at = actor, timezone.now()
        _save(tip, "claimed_by", "claimed_at")
        _event(actor, tip, "claim")
        record(actor, AuditAction.UPDATE, tip, reason="claimed")
    return tip


def release(actor: User, tip: Tip, *, version: int) -> Tip:
    """Give the tip back to the queue; the holder or a supervisor may."""
    with transaction.atomic():
        tip = _locked(tip)
        require(actor, Action.UPDATE, "tip", tip)
        if tip.version != version:
            raise TipChanged()
        if tip.claimed_by_id is None:
            return tip
        if tip.claimed_by_id != actor.pk and actor.role != Role.SUPERVISOR:
            raise ValidationError(_("Only the person working on this tip or a supervisor can release it."))
        tip.claimed_by, tip.claimed_at = None, None
        _save(tip, "claimed_by", "claimed_at")
        _event(actor, tip, "release")
        record(actor, AuditAction.UPDATE, tip, reason="released")
    return tip


def start_review(actor: User, tip: Tip) -> None:
    if tip.status == Status.NEW and _can_update(actor, tip):
        with transaction.atomic():
            updated = Tip.objects.filter(pk=tip.pk, status=Status.NEW).update(
                status=Status.IN_REVIEW, version=tip.version + 1, updated_at=timezone.now()
            )
            if updated:
                _event(actor, tip, "review")
                record(actor, AuditAction.UPDATE, tip, reason="review started")
                tip.status = Status.IN_REVIEW


def _can_update(actor: User, tip: Tip) -> bool:
    return can(actor, Action.UPDATE, "tip", tip)


def assign(actor: User, tip: Tip, agency: Agency) -> Tip:
    with transaction.atomic():
        tip = _locked(tip)
        require(actor, Action.ASSIGN, "tip", tip)
        if not agency.is_active:
            raise ValidationError(_("This agency is not active."))
        tip.agency = agency
        if tip.status in (Status.NEW, Status.IN_REVIEW, Status.AWAITING_INFO):
            tip.status = Status.ASSIGNED
        _save(tip, "agency", "status")
        _event(actor, tip, "assign", agency.name)
        record(actor, AuditAction.UPDATE, tip, reason=f"assigned to agency {agency.public_id}")
    return tip


def message_reporter(actor: User, tip: Tip, body: str, *, request_info: bool = False) -> TipMessage:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write a message."))
    with transaction.atomic():
        tip = _locked(tip)
        require(actor, Action.UPDATE, "tip", tip)
        kind = MessageKind.REQUEST_INFO if request_info else MessageKind.REPLY
        message = TipMessage.objects.create(tip=tip, author=Author.STAFF, kind=kind, staff_user=actor, body=body)
        if request_info and tip.is_open:
            tip.status = Status.AWAITING_INFO
            _save(tip, "status")
        _event(actor, tip, kind)
        record(actor, AuditAction.UPDATE, tip, reason=f"message to reporter ({kind})")
        channels.staff_message_written(message)  # a text-message channel queues its delivery
    return message


def escalate(actor: User, tip: Tip, agency: Agency, *, share_identity: bool = False) -> Tip:
    """Pass the tip to a law-enforcement agency. The reporter's identity goes only with their consent."""
    with transaction.atomic():
        tip = _locked(tip)
        require(actor, Action.UPDATE, "tip", tip)
        if not agency.is_law_enforcement:
            raise ValidationError(_("Choose a law-enforcement agency."))
        if share_identity and not tip.consent_law_enforcement:
            raise ValidationError(_("The reporter did not consent to share their identity with law enforcement."))
        tip.escalated_to = agency
        tip.identity_shared_with_police = bool(share_identity and tip.contact_detail)
        if tip.is_open:
            tip.status = Status.ESCALATED
        _save(tip, "escalated_to", "identity_shared_with_police", "status")
        _event(actor, tip, "escalate", agency.name)
        record(
            actor,
            AuditAction.SHARE,
            tip,
            reason=f"escalated to {agency.public_id}; reporter identity "
            + ("shared with consent" if tip.identity_shared_with_police else "withheld"),
        )
    return tip


def classify(actor: User, tip: Tip, exploitation_types: list[str], *, self_report: bool | None = None) -> Tip:
    """Triage's reading of what the tip describes; feeds the statistics by type of exploitation and the
    urgency (a child in commercial sex is never routine; a self-report weighs more)."""
    known = {code for code, _label in choices("htcds:vic_TypeOfExploitation")}
    if not set(exploitation_types) <= known:
        raise ValidationError(_("Choose types of exploitation from the list."))
    with transaction.atomic():
        tip = _locked(tip)
        require(actor, Action.UPDATE, "tip", tip)
        tip.exploitation_types = sorted(set(exploitation_types))
        if self_report is not None:
            tip.self_report = self_report
        _rescore(tip)
        _save(tip, "exploitation_types", "self_report", "urgency_score", "urgency_reasons")
        _event(actor, tip, "classify", ", ".join(tip.exploitation_types))
        record(actor, AuditAction.UPDATE, tip, reason="classified")
    return tip


def close(actor: User, tip: Tip, reason: str, *, version: int | None = None) -> Tip:
    """Close with a reason; `version` (the one the worker saw) refuses a close over someone's newer change."""
    if reason not in CloseReason.values:
        raise ValidationError(_("Choose a reason for closing."))
    with transaction.atomic():
        tip = _locked(tip)
        require(actor, Action.UPDATE, "tip", tip)
        if version is not None and tip.version != version:
            raise TipChanged()
        tip.status = Status.CLOSED
        tip.close_reason = reason
        _save(tip, "status", "close_reason")
        _event(actor, tip, "close", reason)
        record(actor, AuditAction.UPDATE, tip, reason=f"closed: {reason}")
    return tip


@dataclass(frozen=True)
class Conversion:
    """Convert a tip into a case owned by one of the agency's caseworkers."""

    owner_id: int  # the caseworker who will own the case (assignable_owners lists them)
    version: int  # the tip's version the worker saw


def convert_to_case(actor: User, tip: Tip, conversion: Conversion) -> Any:
    """The one way a tip becomes a case: open it in the actor's agency, owned by the chosen caseworker,
    carrying what the tip established (exploitation types, county, language, the people described,
    the narrative as the first note, the answered signs); link tip and case. No consent is recorded.
    All or nothing: a refusal leaves neither a case nor a changed tip."""
    with transaction.atomic():
        tip = _locked(tip)
        require(actor, Action.UPDATE, "tip", tip)
        require(actor, Action.CREATE, "case")
        if tip.case_id:
            raise ValidationError(_("This tip is already a case."))
        if tip.version != conversion.version:
            raise TipChanged()
        if tip.agency_id and tip.agency_id != actor.agency_id:
            raise ValidationError(_("This tip is assigned to another agency: its staff open the case."))
        people = tip.people or {}
        described = "\n".join(
            part
            for part in (
                people.get("description") or "",
                "; ".join(str(n) for n in people.get("names") or []),
            )
            if part
        )
        case = open_case_from_tip(
            actor,
            CaseFromTip(
                tip_public_id=tip.public_id,
                owner_id=conversion.owner_id,
                narrative=tip.narrative,
                exploitation_types=tuple(tip.exploitation_types or ()),
                county_fips=tip.county_id,
                languages=(tip.language,) if tip.language else (),
                people_description=described,
                signs={k: v for k, v in (tip.checklist or {}).items() if v in ("yes", "no")},
            ),
        )
        tip.case = case
        if tip.agency_id is None:
            tip.agency_id = actor.agency_id
        tip.status = Status.CONVERTED
        _save(tip, "case", "agency", "status")
        _event(actor, tip, "convert", case.public_id)
        record(actor, AuditAction.UPDATE, tip, reason=f"converted to case {case.public_id}")
    return case
