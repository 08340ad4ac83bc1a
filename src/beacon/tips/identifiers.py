"""Normalising what links tips (phones, e-mails, plates, addresses) before blind-indexing it.

Every kind takes the platform's one normal form (`crypto.normalise`); every kind is indexed
under its own purpose (`crypto.keys.identifier_index`), the same one cases and intel use.
"""

from __future__ import annotations

from beacon.crypto.keys import identifier_index
from beacon.crypto.normalise import normalise_address, normalise_email, normalise_phone, normalise_plate
from beacon.tips.models import IdentifierKind

NORMALISERS = {
    IdentifierKind.PHONE: normalise_phone,
    IdentifierKind.EMAIL: normalise_email,
    IdentifierKind.PLATE: normalise_plate,
    IdentifierKind.ADDRESS: normalise_address,
}


def index_for(kind: str, raw: str) -> str | None:
    return identifier_index(str(kind), NORMALISERS[kind](raw)) or None


def indexes_from_people(people: dict) -> set[tuple[str, str]]:
    """(kind, blind index) for every usable identifier a reporter listed."""
    found: set[tuple[str, str]] = set()
    for kind, key in (
        (IdentifierKind.PHONE, "phones"),
        (IdentifierKind.EMAIL, "emails"),
        (IdentifierKind.PLATE, "plates"),
        (IdentifierKind.ADDRESS, "addresses"),
    ):
        for raw in people.get(key) or []:
            index = index_for(kind, str(raw))
            if index:
                found.add((str(kind), index))
    return found
