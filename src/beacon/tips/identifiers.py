"""Normalising what links tips (phones, e-mails, plates, addresses) before blind-indexing it.

Phones and e-mails take the platform's one normal form (`crypto.normalise`); every kind is indexed
under its own purpose (`crypto.keys.identifier_index`), the same one cases and intel use.
"""

from __future__ import annotations

import re

from beacon.crypto.keys import identifier_index
from beacon.crypto.normalise import normalise_email, normalise_for_index, normalise_phone
from beacon.tips.models import IdentifierKind


def plate(raw: str) -> str:
    value = re.sub(r"[^0-9A-Za-z]", "", raw).upper()
    return value if 2 <= len(value) <= 10 else ""


def address(raw: str) -> str:
    value = normalise_for_index(re.sub(r"[.,#]", " ", raw))
    return value if len(value) >= 6 else ""


NORMALISERS = {
    IdentifierKind.PHONE: normalise_phone,
    IdentifierKind.EMAIL: normalise_email,
    IdentifierKind.PLATE: plate,
    IdentifierKind.ADDRESS: address,
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
