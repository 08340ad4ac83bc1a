"""Consent and consent-gated referrals: granting and revoking consent, sending a referral with the chosen
fields, and its answers (accept, decline, complete, withdraw), and the thread between the two agencies.
Revoking a consent, or its expiry, ends the sharing it allowed.

Accepting a referral opens the receiving agency's own case from the shared fields (its own record in its
own agency, linked to the referral); a consent no longer in force at that moment refuses the accept,
tells the sender, and leaves the referral waiting as it was."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from beacon.access.policy import AccessDenied, Action, can, require
from beacon.accounts.models import Agency, User
from beacon.accounts.roles import AgencyType
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.cases.models import (
    NEED_PRIORITIES,
    Case,
    Consent,
    ConsentKind,
    Person,
    Referral,
    ReferralEvent,
    ReferralMessage,
    ReferralSource,
    ReferralStatus,
    ReliefApplication,
    ServiceNeed,
    age_band,
    consent_in_force,
)
from beacon.cases.services.notes import add_attachment
from beacon.cases.services.notifications import agency_staff, notify
from beacon.cases.services.records import OWNER_ROLES, EditConflict, _derive_person
from beacon.cases.sharing import SHAREABLE_FIELDS

MESSAGE_MAX = 5_000


def consent_for_referral(case: Case, to_agency: Agency) -> Consent | None:
    """The consent in force today that allows referring `case` to `to_agency`, or None."""
    consent = (
        Consent.objects.filter(consent_in_force(), case=case, kind=ConsentKind.REFERRAL, agency=to_agency)
        .order_by("-granted_at")
        .first()
    )
    if (
        consent
        and to_agency.type == AgencyType.LAW_ENFORCEMENT
        and not Consent.objects.filter(consent_in_force(), case=case, kind=ConsentKind.LAW_ENFORCEMENT).exists()
    ):
        return None
    return consent


def _consent_refusal(case: Case, to_agency: Agency) -> str:
    """Why no consent allows the referral now, in words the receiver and the sender can act on."""
    latest = (
        Consent.objects.filter(case=case, kind=ConsentKind.REFERRAL, agency=to_agency).order_by("-granted_at").first()
    )
    if latest is not None and latest.revoked_at is not None:
        return _("the survivor withdrew their consent to this referral")
    if latest is not None and latest.expired:
        return _("the survivor's consent to this referral expired")
    if to_agency.type == AgencyType.LAW_ENFORCEMENT and latest is not None:
        return _("the survivor's consent to sharing with law enforcement is no longer in force")
    return _("the survivor's consent to this referral is no longer in force")


@transaction.atomic
def grant_consent(
    actor: User,
    case: Case,
    *,
    kind: str,
    agency: Agency | None = None,
    method: str = "verbal",
    expires_on: Any = None,
    scope_fields: list[str] | None = None,
    witness: str = "",
    signed_form: tuple[str, bytes] | None = None,
) -> Consent:
    """Record what the survivor agreed to: its kind (and agency), how it was given, who witnessed it,
    until when, for a referral which fields may be shared, and the signed form (kept encrypted like
    every attachment). Everything is checked before anything is stored."""
    require(actor, Action.CREATE, "consent", Consent(case=case))
    if kind == ConsentKind.REFERRAL and agency is None:
        raise ValidationError(_("Consent to a referral names the agency it is for."))
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationError(_("The expiry date is in the past: give a date from today on, or none."))
    scope = list(scope_fields or [])
    if any(f not in SHAREABLE_FIELDS for f in scope):
        raise ValidationError(_("Choose the fields to share from the list offered."))
    if kind != ConsentKind.REFERRAL:
        agency, scope = None, []
    witness = (witness or "").strip()
    if len(witness) > 200:
        raise ValidationError(_("The witness's name holds at most 200 characters."))
    existing = Consent.objects.filter(consent_in_force(), case=case, kind=kind, agency=agency).first()
    if (
        existing
        and existing.expires_on == expires_on
        and existing.scope_fields == [f for f in SHAREABLE_FIELDS if f in scope]
        and not witness
        and signed_form is None
    ):
        return existing
    form = None
    if signed_form is not None:
        form = add_attachment(actor, case, filename=signed_form[0], data=signed_form[1])
    consent = Consent.objects.create(
        case=case,
        kind=kind,
        agency=agency,
        method=method,
        granted_at=timezone.now(),
        recorded_by=actor,
        expires_on=expires_on,
        scope_fields=[f for f in SHAREABLE_FIELDS if f in scope],
        witness=witness,
        signed_form=form,
    )
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
            ReferralEvent.objects.create(
                referral=referral,
                at=now,
                status=referral.status,
                actor=actor,
                note="consent revoked: shared access ended",
            )
            record(actor, AuditAction.REVOKE, referral, reason="shared access ended by consent revocation")
    return consent


@transaction.atomic
def send_referral(
    actor: User,
    case: Case,
    *,
    to_agency: Agency,
    service: str,
    shared_fields: list[str],
    message: str = "",
    provider: Any = None,
    reason: str = "AdditionalServicesRequired",
    urgency: str = "normal",
) -> Referral:
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
            else _(
                "Referring to law enforcement needs the survivor's consent to share with law enforcement "
                "and to a referral to %(agency)s."
            )
            % {"agency": to_agency.name}
        )
    beyond = [f for f in shared_fields if f not in consent.allows(list(shared_fields))]
    if beyond:
        raise ValidationError(
            _(
                "The survivor's consent does not cover sharing: %(fields)s. Untick them, or record the "
                "survivor's consent to share them."
            )
            % {"fields": ", ".join(str(SHAREABLE_FIELDS[f][0]) for f in SHAREABLE_FIELDS if f in beyond)}
        )
    if Referral.objects.filter(case=case, to_agency=to_agency, status=ReferralStatus.SENT).exists():
        raise ValidationError(_("A referral to this agency is already waiting for an answer."))
    if urgency not in dict(NEED_PRIORITIES):
        raise ValidationError(_("Choose the urgency from the list offered."))
    now = timezone.now()
    referral = Referral.objects.create(
        case=case,
        from_agency_id=case.agency_id,
        to_agency=to_agency,
        provider=provider,
        service=service,
        reason=reason,
        shared_fields=[f for f in SHAREABLE_FIELDS if f in shared_fields],
        message=message,
        urgency=urgency,
        summary=referral_summary(case, service),
        consent=consent,
        sent_by=actor,
        sent_at=now,
    )
    ReferralEvent.objects.create(referral=referral, at=now, status=ReferralStatus.SENT, actor=actor)
    record(actor, AuditAction.SHARE, referral, reason=f"referral to agency {to_agency.public_id}")
    url = reverse("cases:referral", args=[referral.public_id])
    for user in agency_staff(to_agency.pk):
        notify(
            user,
            f"referral-new:{referral.public_id}",
            _("New referral %(id)s is waiting for your agency's answer.") % {"id": referral.public_id},
            url,
        )
    return referral


def referral_summary(case: Case, service: str) -> dict[str, Any]:
    """What the receiving agency reads before it accepts: codes only, nothing that names or reaches the
    survivor (services, county, languages, age band, whether a minor)."""
    person = case.person
    age = person.age_at_intake if person.age_at_intake is not None else person.estimated_age
    needs = [n.category for n in case.needs.filter(met=False).order_by("category")]
    return {
        "services": [service, *[n for n in needs if n != service]],
        "county": case.county.fips if case.county_id else "",
        "languages": list(person.languages or []),
        "age_band": age_band(age),
        "minor": bool(person.minor_at_intake or person.minor_when_trafficked),
        "exploitation_types": list(case.exploitation_types or []),
    }


def _set_referral_status(actor: User, referral: Referral, status: str, note: str = "") -> Referral:
    now = timezone.now()
    updated = Referral.objects.filter(pk=referral.pk, version=referral.version).update(
        status=status,
        version=F("version") + 1,
        responded_at=now if status in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED) else F("responded_at"),
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
        raise ValidationError(
            _("This referral is %(status)s and cannot be changed that way.") % {"status": referral.get_status_display()}
        )
    return _set_referral_status(actor, referral, status, note)


class ConsentNotInForce(ValidationError):
    """Accept refused: the survivor's consent behind the referral was revoked or expired."""


def accept_referral(actor: User, referral: Referral) -> Referral:
    """Accept a referral addressed to the actor's agency and open that agency's own case from it.

    The consent is read again now: if it was revoked or has expired, nothing changes except a history
    entry and a notice to the sender, and ConsentNotInForce says why (the referral keeps waiting; once
    the sender records the survivor's consent again it can be accepted)."""
    refusal = ""
    with transaction.atomic():
        locked = Referral.objects.select_for_update().select_related("case", "to_agency").get(pk=referral.pk)
        if locked.version != referral.version:
            raise EditConflict(_("This referral was answered by someone else a moment ago. Reload to see it."))
        if locked.status == ReferralStatus.SENT and consent_for_referral(locked.case, locked.to_agency) is None:
            require(actor, Action.UPDATE, "referral", locked)
            if actor.agency_id != locked.to_agency_id:
                raise AccessDenied("wrong side of the referral")
            refusal = _consent_refusal(locked.case, locked.to_agency)
            ReferralEvent.objects.create(
                referral=locked, at=timezone.now(), status=locked.status, actor=actor, note="accept refused: consent"
            )
            record(actor, AuditAction.DENIED, locked, reason="accept refused: consent not in force")
            _notify_sender(
                locked,
                _(
                    "Referral %(id)s could not be accepted: the survivor's consent is no longer in force. "
                    "Ask the survivor again and record their consent."
                ),
                key=f"referral-consent:{locked.public_id}:{locked.version}",
            )
        else:
            consent = consent_for_referral(locked.case, locked.to_agency)
            referral = _transition(actor, locked, ReferralStatus.ACCEPTED, receiving=True)
            if can(actor, Action.CREATE, "case"):
                _open_received_case(actor, referral, consent)
            _notify_sender(referral, _("Referral %(id)s was accepted."))
            return referral
    raise ConsentNotInForce(
        _(
            "This referral cannot be accepted: %(why)s. Nothing was changed; %(agency)s has been told and "
            "can send it again once the survivor consents."
        )
        % {"why": refusal, "agency": referral.from_agency.name}
    )


# Shared field -> how it fills the receiving agency's own record.
_PERSON_COPY = {
    "name": ("given_name", "family_name"),
    "aliases": ("aliases",),
    "birth_date": ("birth_date",),
    "age": ("estimated_age",),
    "gender": ("gender",),
    "languages": ("languages",),
    "citizenship": ("citizenship",),
    "contact": ("contact",),
    "immigration_status": ("immigration_status",),
}
_CASE_COPY = {"trafficking_status": ("trafficking_status",), "exploitation_types": ("exploitation_types",)}


def _open_received_case(actor: User, referral: Referral, consent: Consent | None) -> Case:
    """The receiving agency's own case: a new person and case in its agency, holding only the fields the
    referral shares (within the consent), owned by the accepting staff member, linked to the referral."""
    require(actor, Action.CREATE, "person")
    source = Case.objects.select_related("person", "county").get(pk=referral.case_id)
    shared = set(consent.allows(list(referral.shared_fields)) if consent else referral.shared_fields)
    person = Person(agency_id=actor.agency_id)
    for field, names in _PERSON_COPY.items():
        if field in shared:
            for name in names:
                value = getattr(source.person, "age_at_intake" if name == "estimated_age" else name)
                setattr(person, name, value if value is not None else getattr(person, name))
    _derive_person(person)
    # Whether the survivor is a minor is part of the summary every referral carries.
    if "minor" in shared or (referral.summary or {}).get("minor"):
        person.minor_at_intake = person.minor_at_intake or source.person.minor_at_intake
        person.minor_when_trafficked = source.person.minor_when_trafficked
    person.save()
    county = source.county if (referral.summary or {}).get("county") else None
    case = Case(
        person=person,
        agency_id=actor.agency_id,
        owner=actor if actor.role in OWNER_ROLES else None,
        county=county,
        referral_source=ReferralSource.STATE_LOCAL_LE
        if referral.from_agency.type == AgencyType.LAW_ENFORCEMENT
        else ReferralSource.COMMUNITY_PROVIDER,
    )
    for field, names in _CASE_COPY.items():
        if field in shared:
            for name in names:
                setattr(case, name, getattr(source, name))
    case.primary_type = (case.exploitation_types or [""])[0]
    case.save()
    reason = f"from referral {referral.public_id}"
    record(
        actor, AuditAction.VIEW, source, reason=f"shared fields read to open own case, referral {referral.public_id}"
    )
    record(actor, AuditAction.CREATE, person, reason=reason)
    record(actor, AuditAction.CREATE, case, reason=reason)
    needs = [referral.service]
    if "service_needs" in shared:
        needs += [n.category for n in source.needs.all()]
    urgency = referral.urgency if referral.urgency in dict(NEED_PRIORITIES) else "normal"
    for category in dict.fromkeys(needs):
        ServiceNeed.objects.create(case=case, category=category, priority=urgency)
    if "relief" in shared:
        for application in source.relief.all():
            ReliefApplication.objects.create(case=case, kind=application.kind)
    Referral.objects.filter(pk=referral.pk).update(received_case=case)
    referral.received_case = case
    return case


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


def _notify_sender(referral: Referral, template: str, *, key: str = "") -> None:
    if referral.sent_by_id:
        notify(
            referral.sent_by,
            key or f"referral-{referral.status}:{referral.public_id}",
            template % {"id": referral.public_id},
            reverse("cases:referral", args=[referral.public_id]),
        )


# Thread -----------------------------------------------------------------------------------------------


@transaction.atomic
def post_referral_message(actor: User, referral: Referral, body: str) -> ReferralMessage:
    """A message from one side of the referral to the other; the other side is notified (ids only)."""
    message = ReferralMessage(referral=referral, author=actor, agency_id=actor.agency_id or 0, body=body.strip())
    require(actor, Action.CREATE, "referral_message", message)
    if actor.agency_id not in (referral.from_agency_id, referral.to_agency_id):
        raise AccessDenied("not a side of the referral", record=referral, action=Action.CREATE)
    if not message.body:
        raise ValidationError(_("Write a message before sending it."))
    if len(message.body) > MESSAGE_MAX:
        raise ValidationError(
            _("A message holds at most %(n)s characters; this one has %(m)s.") % {"n": MESSAGE_MAX, "m": len(body)}
        )
    message.save()
    record(actor, AuditAction.CREATE, message, reason=f"message on referral {referral.public_id}")
    if actor.agency_id == referral.from_agency_id:
        recipients = (
            [u for u in (referral.responded_by,) if u is not None]
            if referral.responded_by_id
            else list(agency_staff(referral.to_agency_id))
        )
        if referral.received_case_id and referral.received_case.owner_id:
            recipients.append(referral.received_case.owner)
    else:
        recipients = [u for u in (referral.sent_by, referral.case.owner) if u is not None]
    url = reverse("cases:referral", args=[referral.public_id]) + "#thread"
    for user in {u.pk: u for u in recipients if u.pk != actor.pk}.values():
        notify(
            user,
            f"referral-message:{message.public_id}",
            _("New message on referral %(id)s.") % {"id": referral.public_id},
            url,
        )
    return message
