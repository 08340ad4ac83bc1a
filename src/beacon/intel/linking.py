"""Blind indexes that let tips and cases meet intel networks without sharing plain values.

The tips and cases apps hash phones and e-mails with their own purposes and normalisation; a
contact here is indexed with exactly their helpers, so a stored tip or person index equals ours
whenever the underlying phone or e-mail is the same.
"""

from __future__ import annotations

from beacon.cases import identity as case_identity
from beacon.tips import identifiers as tip_identifiers
from beacon.tips.models import IdentifierKind


def contact_indexes(kind: str, value: str) -> tuple[str, str]:
    """(tip blind index, case blind index) of one contact; ("", "") for handles."""
    if kind == "phone":
        return (
            tip_identifiers.index_for(IdentifierKind.PHONE, value) or "",
            case_identity.phone_index(value),
        )
    if kind == "email":
        return (
            tip_identifiers.index_for(IdentifierKind.EMAIL, value) or "",
            case_identity.email_index(value),
        )
    return "", ""


def phone_indexes(raw: str) -> list[str]:
    """Every blind index a phone may be stored under in tips and cases."""
    return [i for i in (tip_identifiers.index_for(IdentifierKind.PHONE, raw), case_identity.phone_index(raw)) if i]


def email_indexes(raw: str) -> list[str]:
    return [i for i in (tip_identifiers.index_for(IdentifierKind.EMAIL, raw), case_identity.email_index(raw)) if i]
