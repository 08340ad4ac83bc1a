"""Reporters' codenames: six words in the reporter's language, or twenty digits, both > 64 bits.

Where a vetted word list exists in the reporter's language and script (the BIP39 lists shipped by
the `mnemonic` package: English, Spanish, simplified Chinese, Korean, Russian), a codename is six
words from its 2,048 (66 bits). Elsewhere, or when the reporter asks for it, it is twenty digits
shown in five groups of four (66.4 bits): digits are read and typed on every phone keyboard.
Codenames issued before (seven words from the EFF large list, 90 bits) keep working: they are
looked up and verified the same way, and `normalise` leaves such ASCII words as it always did.

A codename is derived from the submission's random nonce with a keyed hash, so a retry of the
same submission (a double click, a lost response) shows the same codename without it ever being
stored. Only an argon2id hash (to verify) and a blind index (to find the tip) are kept.

Argon2id parameters: time_cost=1, memory_cost=2 MiB, parallelism=1 (about 1.5 ms on one core;
2 MiB fits a core's L2 cache, where 4 MiB took 3.5 ms on the 2-core benchmark machine).
A codename is not a password a person chose: with 66 bits of entropy, a stolen database offers
2**65 guesses on average per tip, infeasible at this hash's cost, so the slow hash is defence in
depth rather than the protection itself; these settings keep that depth without letting a burst
of reports exhaust the server's CPU (see benchmarks/tips_load.py). Hashes made with other
parameters still verify: argon2 records them in each hash.

Input is forgiving: case, extra spaces or punctuation between words, accents (ábaco = abaco),
full-width letters and digits, and digits of any script (Arabic-Indic, Devanagari...) all give
the same codename; Chinese characters may be typed with or without spaces.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import unicodedata
from enum import StrEnum
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from django.conf import settings
from mnemonic import Mnemonic

from beacon.crypto.keys import blind_index

WORD_COUNT = 6
DIGIT_COUNT = 20
DIGIT_GROUP = 4
# Portal language -> BIP39 list. Only lists in the language's own script: a Polish or Ukrainian
# reader gets digits rather than words in another language.
WORDLISTS = {
    "en": "english",
    "es": "spanish",
    "zh-hans": "chinese_simplified",
    "ko": "korean",
    "ru": "russian",
}
_hasher = PasswordHasher(time_cost=1, memory_cost=2048, parallelism=1)
_SEPARATORS = re.compile(r"[\s\-_.,;:·、，。]+")


class Style(StrEnum):
    WORDS = "words"
    DIGITS = "digits"


@cache
def words(language: str) -> tuple[str, ...]:
    return tuple(Mnemonic(WORDLISTS[language]).wordlist)


def style_for(language: str) -> Style:
    return Style.WORDS if language in WORDLISTS else Style.DIGITS


def entropy_bits(language: str, style: Style | None = None) -> float:
    if (style or style_for(language)) == Style.DIGITS:
        return DIGIT_COUNT * math.log2(10)
    return WORD_COUNT * math.log2(len(words(language)))


def _choices(nonce: str, label: str, n: int, count: int) -> list[int]:
    """`count` unbiased values below `n` from an HMAC stream keyed by the server's secret."""
    key = (settings.SECRET_KEY + "\x1fbeacon-tip-codename").encode()
    limit = (65536 // n) * n  # reject values that would bias the modulo
    chosen: list[int] = []
    counter = 0
    while len(chosen) < count:
        block = hmac.new(key, f"{nonce}\x1f{label}\x1f{counter}".encode(), hashlib.sha512).digest()
        for i in range(0, len(block), 2):
            value = int.from_bytes(block[i : i + 2], "big")
            if value < limit:
                chosen.append(value % n)
                if len(chosen) == count:
                    break
        counter += 1
    return chosen


def derive(nonce: str, language: str = "en", style: Style | None = None) -> str:
    """The codename for a submission nonce, in the language's words or in digit groups."""
    style = style or style_for(language)
    if style == Style.DIGITS:
        digits = "".join(str(d) for d in _choices(nonce, "digits", 10, DIGIT_COUNT))
        return " ".join(digits[i : i + DIGIT_GROUP] for i in range(0, DIGIT_COUNT, DIGIT_GROUP))
    wordlist = words(language)
    return " ".join(wordlist[i] for i in _choices(nonce, f"words:{language}", len(wordlist), WORD_COUNT))


def _fold(text: str) -> str:
    """Full-width forms, digits of any script, case and accents folded away."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(str(unicodedata.digit(c)) if unicodedata.category(c) == "Nd" else c for c in text)
    text = unicodedata.normalize("NFD", text.casefold())
    return unicodedata.normalize("NFC", "".join(c for c in text if unicodedata.category(c) != "Mn"))


def _is_ideograph(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH")


def normalise(codename: str) -> str:
    """The one form a codename is hashed in, however it was typed."""
    tokens = [t for t in _SEPARATORS.split(_fold(codename.strip())) if t]
    joined = "".join(tokens)
    if joined.isdigit():
        return joined  # digit groups: spacing does not matter
    if joined and all(_is_ideograph(c) for c in joined):
        return " ".join(joined)  # Chinese words are one character each
    return " ".join(tokens)


def lookup_index(codename: str) -> str:
    return blind_index(normalise(codename), purpose="tip-codename")


def slow_hash(codename: str) -> str:
    return _hasher.hash(normalise(codename))


def verify(stored_hash: str, codename: str) -> bool:
    try:
        return _hasher.verify(stored_hash, normalise(codename))
    except (VerificationError, InvalidHashError):
        return False
