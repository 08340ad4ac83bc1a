"""Blind indexes for people (exact and fuzzy duplicate matching) and age arithmetic.

The fuzzy key is a keyed hash of Soundex codes of both names plus the birth year, so "Jon Smyth
1990" and "John Smith 1990" match without any readable name or year being stored.
"""

from __future__ import annotations

import datetime as dt

from beacon.crypto.keys import blind_index
from beacon.crypto.normalise import normalise_for_index

_SOUNDEX = {
    c: d
    for d, letters in {"1": "bfpv", "2": "cgjkqsxz", "3": "dt", "4": "l", "5": "mn", "6": "r"}.items()
    for c in letters
}


def soundex(word: str) -> str:
    letters = [c for c in normalise_for_index(word) if c.isalpha() and c.isascii()]
    if not letters:
        return normalise_for_index(word).replace(" ", "")  # non-Latin scripts: the normalised name itself
    first, code, last = letters[0].upper(), [], _SOUNDEX.get(letters[0], "")
    for char in letters[1:]:
        digit = _SOUNDEX.get(char, "")
        if digit and digit != last:
            code.append(digit)
        if char not in "hw":
            last = digit
    return (first + "".join(code) + "000")[:4]


def name_index(given: str, family: str) -> str:
    full = normalise_for_index(f"{given} {family}")
    return blind_index(full, purpose="person-name") if full else ""


def fuzzy_index(given: str, family: str, birth_year: int | None) -> str:
    if not (given or family) or not birth_year:
        return ""
    key = f"{soundex(given) if given else ''}|{soundex(family) if family else ''}|{birth_year}"
    return blind_index(key, purpose="person-fuzzy")


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birth_year_of(birth_date: str | dt.date | None, estimated_age: int | None, today: dt.date) -> int | None:
    if birth_date:
        return (birth_date if isinstance(birth_date, dt.date) else dt.date.fromisoformat(str(birth_date))).year
    if estimated_age is not None:
        return today.year - estimated_age
    return None
