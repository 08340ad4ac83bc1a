"""Blind indexes that let tips and cases meet intel networks without sharing plain values.

A contact's value is already in the platform's normal form (E.164 phone, canonical e-mail: the core
extracts them with the rules of `crypto.normalise`); its index is `crypto.keys.identifier_index`
under the kind's one purpose, the same index a tip or a case stores for the same phone or e-mail.
"""

from __future__ import annotations

from beacon.crypto.keys import email_index, phone_index

_INDEX = {"phone": phone_index, "email": email_index}


def contact_index(kind: str, value: str) -> str:
    """The blind index of one phone or e-mail contact; "" for handles, which tips and cases do not hold."""
    index = _INDEX.get(kind)
    return index(value) if index else ""
