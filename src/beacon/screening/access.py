"""How screening records relate to a user, for the access policy.

- own: the screener, and the owner of the screened case (the caseworker responsible for the person)
  for screenings made in the owner's agency;
- agency: the agency the screening belongs to (the case's, else the tip's, else the screener's);
- shared: the screened case is shared with the user's agency through an accepted referral while the
  survivor's consent stands. That test is the cases app's own (``beacon.cases.access``), reused here
  so revoking consent ends access to the screenings at the same moment as to the case.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from beacon.access.policy import Adapter, nothing, register
from beacon.cases.access import case_is_shared, shared_referrals


def _owner(user: Any, screening: Any) -> bool:
    if screening.screener_id == user.pk:
        return True
    # The case owner reads screenings of their case made in their own agency (not a receiving agency's).
    return (
        screening.case_id is not None and screening.agency_id == user.agency_id and screening.case.owner_id == user.pk
    )


def _agency(user: Any, screening: Any) -> bool:
    return user.agency_id is not None and screening.agency_id == user.agency_id


def _shared(user: Any, screening: Any) -> bool:
    return screening.case_id is not None and case_is_shared(user, screening.case)


def _q_own(user: Any) -> Q:
    return Q(screener_id=user.pk) | Q(case__owner_id=user.pk, agency_id=user.agency_id)


def _q_agency(user: Any) -> Q:
    return Q(agency_id=user.agency_id) if user.agency_id else nothing(user)


def _q_shared(user: Any) -> Q:
    if not getattr(user, "agency_id", None):
        return nothing(user)
    return Q(Exists(shared_referrals(user).filter(case_id=OuterRef("case_id"))))


def register_adapters() -> None:
    register(
        "screening",
        Adapter(owner=_owner, agency=_agency, shared=_shared, q_own=_q_own, q_agency=_q_agency, q_shared=_q_shared),
    )
