"""The one normal form of each identifier kind, applied before a value is blind-indexed.

Tips, cases and intel all call these, so the same phone or e-mail written differently in a tip, a
case and a public post reduces to the same text and, through `keys.identifier_index`, to the same
index. Pure Python (no Django import): the intel core uses the e-mail rule too.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_GMAIL = frozenset({"gmail.com", "googlemail.com"})


def normalise_for_index(value: str) -> str:
    """Case-, accent- and spacing-insensitive form used before hashing names and addresses."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def normalise_phone(raw: str, region: str = "US") -> str:
    """E.164 form of a phone number (so every spelling indexes alike), or "" when it cannot be parsed.
    Numbers written without a country code are read as US numbers."""
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    """Lower-cased address, or "" when `raw` is not one. Gmail ignores dots and "+tags" in the local
    part, so a Gmail address is reduced to the inbox it reaches (j.doe+x@googlemail.com ->
    jdoe@gmail.com)."""
    value = unicodedata.normalize("NFKC", raw or "").strip().casefold()
    if not _EMAIL.fullmatch(value):
        return ""
    local, _at, domain = value.rpartition("@")
    if domain in _GMAIL:
        local = local.split("+", 1)[0].replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}" if local else ""


def normalise_plate(raw: str) -> str:
    """A vehicle plate without spaces, dashes or dots, upper-cased; "" when it is too short or long."""
    value = re.sub(r"[^0-9A-Za-z]", "", raw or "").upper()
    return value if 2 <= len(value) <= 10 else ""


def normalise_address(raw: str) -> str:
    """An address folded like a name, with its punctuation dropped; "" when too short to mean a place."""
    value = normalise_for_index(re.sub(r"[.,#]", " ", raw or ""))
    return value if len(value) >= 6 else ""


_HANDLE = re.compile(r"[a-z0-9_.]{2,64}")


def normalise_handle(raw: str) -> str:
    """An online handle without its leading "@", lower-cased; "" when it is not one word of letters,
    digits, dots and underscores."""
    value = normalise_for_index(raw or "").removeprefix("@")
    return value if _HANDLE.fullmatch(value) else ""
