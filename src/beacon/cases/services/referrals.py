"""Consent and consent-gated referrals: granting and revoking consent, sending a referral with the chosen
fields, and its answers (accept, decline, complete, withdraw). Revoking a consent ends the sharing it allowed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from beacon.access.policy import AccessDenied, Action, require
from beacon.accounts.models import Agency, User
from beacon.accounts.roles import AgencyType
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.cases.models import (
    Case,
    Consent,
    ConsentKind,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from beacon.cases.services.notifications import agency_staff, notify
from beacon.cases.services.records import EditConflict
from beacon.cases.sharing import SHAREABLE_FIELDS


def consent_for_referral(case: Case, to_agency: Agency) -> Consent | None:
    consent = Consent.objects.filter(
        case=case, kind=ConsentKind.REFERRAL, agency=to_agency, revoked_at__isnull=True
    ).first()
    if (
        consent
        and to_agency.type == AgencyType.LAW_ENFORCEMENT
        and not Consent.objects.filter(case=case, kind=ConsentKind.LAW_ENFORCEMENT, revoked_at__isnull=True).exists()
    ):
        return None
    return consent


@transaction.atomic
def grant_consent(
    actor: User, case: Case, *, kind: str, agency: Agency | None = None, method: str = "verbal"
) -> Consent:
    require(actor, Action.CREATE, "consent", Consent(case=case))
    if kind == ConsentKind.REFERRAL and agency is None:
        raise ValidationError(_("Consent to a referral names the agency it is for."))
    if kind != ConsentKind.REFERRAL:
        agency = None
    existing = Consent.objects.filter(case=case, kind=kind, agency=agency, revoked_at__isnull=True).first()
    if existing:
        return existing
    consent = Consent.objects.create(
        case=case, kind=kind, agency=agency, method=method, granted_at=timezone.now(), recorded_by=actor
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
    if Referral.objects.filter(case=case, to_agency=to_agency, status=ReferralStatus.SENT).exists():
        raise ValidationError(_("A referral to this agency is already waiting for an answer."))
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
        notify(
            referral.sent_by,
            f"referral-{referral.status}:{referral.public_id}",
            template % {"id": referral.public_id},
            reverse("cases:detail", args=[referral.case.public_id]),
        )
