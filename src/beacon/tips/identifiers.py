"""Normalising what links tips (phones, e-mails, plates, addresses) before blind-indexing it."""

from __future__ import annotations

import re

from beacon.crypto.keys import blind_index, normalise_for_index, normalise_phone
from beacon.tips.models import IdentifierKind

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def phone_e164(raw: str) -> str | None:
    return normalise_phone(raw) or None


def plate(raw: str) -> str | None:
    value = re.sub(r"[^0-9A-Za-z]", "", raw).upper()
    return value if 2 <= len(value) <= 10 else None


def email(raw: str) -> str | None:
    value = raw.strip().casefold()
    return value if _EMAIL.fullmatch(value) else None


def address(raw: str) -> str | None:
    value = normalise_for_index(re.sub(r"[.,#]", " ", raw))
    return value if len(value) >= 6 else None


NORMALISERS = {
    IdentifierKind.PHONE: phone_e164,
    IdentifierKind.EMAIL: email,
    IdentifierKind.PLATE: plate,
    IdentifierKind.ADDRESS: address,
}


def index_for(kind: str, raw: str) -> str | None:
    normalised = NORMALISERS[kind](raw)
    return blind_index(normalised, purpose=f"tip-{kind}") if normalised else None


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
