"""The blind index of a subject, through the one normaliser of its kind (`crypto.normalise`).

Each kind indexes under the purpose the other apps use for the same thing, so the look-up compares
like with like: a phone as tips and cases index phones, a vehicle as tips index plates, a person's
name as cases index survivors' names (`cases.identity.name_index`).
"""

from __future__ import annotations

from collections.abc import Callable

from beacon.cases import identity
from beacon.crypto.keys import identifier_index
from beacon.crypto.normalise import (
    normalise_address,
    normalise_email,
    normalise_for_index,
    normalise_handle,
    normalise_phone,
    normalise_plate,
)
from beacon.matters.models import SubjectKind


def _business(raw: str) -> str:
    return identifier_index("business", normalise_for_index(raw))


INDEXERS: dict[str, Callable[[str], str]] = {
    SubjectKind.PERSON: lambda raw: identity.name_index(raw, ""),
    SubjectKind.BUSINESS: _business,
    SubjectKind.ADDRESS: lambda raw: identifier_index("address", normalise_address(raw)),
    SubjectKind.PHONE: lambda raw: identifier_index("phone", normalise_phone(raw)),
    SubjectKind.EMAIL: lambda raw: identifier_index("email", normalise_email(raw)),
    SubjectKind.VEHICLE: lambda raw: identifier_index("plate", normalise_plate(raw)),
    SubjectKind.HANDLE: lambda raw: identifier_index("handle", normalise_handle(raw)),
}

# The kind a tip's identifier list uses for the same thing (tips.models.IdentifierKind).
TIP_KIND = {
    SubjectKind.PHONE: "phone",
    SubjectKind.EMAIL: "email",
    SubjectKind.VEHICLE: "plate",
    SubjectKind.ADDRESS: "address",
}

# The blind-index column of a survivor (cases.Person) holding the same thing.
PERSON_COLUMN = {
    SubjectKind.PERSON: "name_bidx",
    SubjectKind.PHONE: "phone_bidx",
    SubjectKind.EMAIL: "email_bidx",
}


def index_of(kind: str, raw: str) -> str:
    """The subject's blind index, or "" when `raw` cannot be read as a `kind`."""
    return INDEXERS[kind](raw.strip())


def same_text(a: str, b: str) -> bool:
    """Two unindexed values that are the same text but for case, accents and spacing."""
    return normalise_for_index(a) == normalise_for_index(b)
