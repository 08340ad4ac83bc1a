"""How case records relate to a user, for the access policy.

Shared access to a case = an accepted referral from the owning agency to the user's agency AND the
survivor's referral consent for that agency still in force (not revoked, not past its expiry date); for
a law-enforcement agency the "sharing with law enforcement" consent must stand as well. Revoking either,
or its expiry, ends access at once, because every check reads the consent rows rather than a copied flag.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from beacon.access.policy import Adapter, never, nothing, register
from beacon.accounts.roles import AgencyType
from beacon.cases.models import Case, Consent, ConsentKind, Referral, ReferralStatus, consent_in_force


def _user_is_police(user: Any) -> bool:
    agency = getattr(user, "agency", None)
    return agency is not None and agency.type == AgencyType.LAW_ENFORCEMENT


def shared_referrals(user: Any, case_ref: Any = None):
    """Accepted referrals to the user's agency whose consents stand; `case_ref` correlates to a case id."""
    if not getattr(user, "agency_id", None):
        return Referral.objects.none()
    case_ref = case_ref if case_ref is not None else OuterRef("case_id")
    referrals = Referral.objects.filter(to_agency_id=user.agency_id, status=ReferralStatus.ACCEPTED).filter(
        Exists(
            Consent.objects.filter(
                consent_in_force(),
                case_id=OuterRef("case_id"),
                kind=ConsentKind.REFERRAL,
                agency_id=user.agency_id,
            )
        )
    )
    if _user_is_police(user):
        referrals = referrals.filter(
            Exists(
                Consent.objects.filter(
                    consent_in_force(), case_id=OuterRef("case_id"), kind=ConsentKind.LAW_ENFORCEMENT
                )
            )
        )
    return referrals


def _q_case_shared(path: str) -> Any:
    """EXISTS(shared referral for the case at `path`), as a filter for any model related to a case."""

    def build(user: Any) -> Q:
        if not getattr(user, "agency_id", None):
            return nothing(user)
        return Q(Exists(shared_referrals(user).filter(case_id=OuterRef(path))))

    return build


def case_is_shared(user: Any, case: Any) -> bool:
    if not getattr(user, "agency_id", None) or case.agency_id == user.agency_id:
        return False
    return shared_referrals(user).filter(case_id=case.pk).exists()


def active_shared_referral(user: Any, case: Any):
    """The most recent accepted referral through which `user` sees `case`, or None."""
    if not getattr(user, "agency_id", None):
        return None
    return shared_referrals(user).filter(case_id=case.pk).order_by("-sent_at").first()


def _agency_q(field: str):
    return lambda user: Q(**{field: user.agency_id}) if user.agency_id else nothing(user)


def register_adapters() -> None:
    register(
        "case",
        Adapter(
            owner=lambda user, case: case.owner_id == user.pk,
            agency=lambda user, case: user.agency_id is not None and case.agency_id == user.agency_id,
            shared=case_is_shared,
            q_own=lambda user: Q(owner_id=user.pk),
            q_agency=_agency_q("agency_id"),
            q_shared=_q_case_shared("pk"),
        ),
    )
    register(
        "person",
        Adapter(
            owner=lambda user, person: person.cases.filter(owner_id=user.pk).exists(),
            agency=lambda user, person: user.agency_id is not None and person.agency_id == user.agency_id,
            shared=lambda user, person: any(case_is_shared(user, c) for c in person.cases.all()),
            q_own=lambda user: Q(Exists(_cases().filter(person_id=OuterRef("pk"), owner_id=user.pk))),
            q_agency=_agency_q("agency_id"),
            q_shared=lambda user: Q(
                Exists(_cases().filter(person_id=OuterRef("pk")).filter(_q_case_shared("pk")(user)))
            ),
        ),
    )
    # Notes, attachments and consents belong to the owning agency: a referral shares chosen person
    # and case fields, never notes or files (the receiving agency keeps its own record).
    for resource in ("note", "attachment", "consent"):
        register(
            resource,
            Adapter(
                owner=lambda user, obj: obj.case.owner_id == user.pk,
                agency=lambda user, obj: user.agency_id is not None and obj.case.agency_id == user.agency_id,
                shared=never,
                q_own=lambda user: Q(case__owner_id=user.pk),
                q_agency=_agency_q("case__agency_id"),
                q_shared=nothing,
            ),
        )
    # A referral is the sender's (own / agency) and, for the receiving agency, shared: it sits in
    # their intake queue so they can accept or decline it.
    register(
        "referral",
        Adapter(
            owner=lambda user, ref: ref.sent_by_id == user.pk or ref.case.owner_id == user.pk,
            agency=lambda user, ref: user.agency_id is not None and ref.from_agency_id == user.agency_id,
            shared=lambda user, ref: user.agency_id is not None and ref.to_agency_id == user.agency_id,
            q_own=lambda user: Q(sent_by_id=user.pk) | Q(case__owner_id=user.pk),
            q_agency=_agency_q("from_agency_id"),
            q_shared=_agency_q("to_agency_id"),
        ),
    )
    # A referral's thread: both sides of the referral, nobody else (the same relations as the referral).
    register(
        "referral_message",
        Adapter(
            owner=lambda user, msg: msg.referral.sent_by_id == user.pk or msg.referral.case.owner_id == user.pk,
            agency=lambda user, msg: user.agency_id is not None and msg.referral.from_agency_id == user.agency_id,
            shared=lambda user, msg: user.agency_id is not None and msg.referral.to_agency_id == user.agency_id,
            q_own=lambda user: Q(referral__sent_by_id=user.pk) | Q(referral__case__owner_id=user.pk),
            q_agency=_agency_q("referral__from_agency_id"),
            q_shared=_agency_q("referral__to_agency_id"),
        ),
    )


def _cases():
    return Case.objects.all()
