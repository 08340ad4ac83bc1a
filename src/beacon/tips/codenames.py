"""Reporters' codenames: seven words from the EFF large word list (7,776 words): 90.5 bits.

A codename is derived from the submission's random nonce with a keyed hash, so a retry of the
same submission (a double click, a lost response) shows the same codename without it ever being
stored. Only an argon2id hash (to verify) and a blind index (to find the tip) are kept.

Argon2id parameters: time_cost=1, memory_cost=2 MiB, parallelism=1 (about 1.5 ms on one core;
2 MiB fits a core's L2 cache, where 4 MiB took 3.5 ms on the 2-core benchmark machine).
A codename is not a password a person chose: with 90 bits of entropy, a stolen database offers
2**89 guesses on average per tip, infeasible at any hash speed, so the slow hash is defence in
depth rather than the protection itself; these settings keep that depth without letting a burst
of reports exhaust the server's CPU (see benchmarks/tips_load.py). Hashes made with other
parameters still verify: argon2 records them in each hash.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from django.conf import settings

from beacon.crypto.keys import blind_index

WORDS_FILE = Path(__file__).resolve().parent / "data" / "eff_large_wordlist.txt"
WORD_COUNT = 7
_hasher = PasswordHasher(time_cost=1, memory_cost=2048, parallelism=1)


@cache
def words() -> tuple[str, ...]:
    return tuple(w.strip() for w in WORDS_FILE.read_text(encoding="utf-8").splitlines() if w.strip())


def entropy_bits(count: int = WORD_COUNT) -> float:
    return count * math.log2(len(words()))


def derive(nonce: str) -> str:
    """The codename for a submission nonce: unbiased word choices from an HMAC stream."""
    wordlist = words()
    n = len(wordlist)
    limit = (65536 // n) * n  # reject values that would bias the modulo
    key = (settings.SECRET_KEY + "\x1fbeacon-tip-codename").encode()
    chosen: list[str] = []
    counter = 0
    while len(chosen) < WORD_COUNT:
        block = hmac.new(key, f"{nonce}\x1f{counter}".encode(), hashlib.sha512).digest()
        for i in range(0, len(block), 2):
            value = int.from_bytes(block[i : i + 2], "big")
            if value < limit:
                chosen.append(wordlist[value % n])
                if len(chosen) == WORD_COUNT:
                    break
        counter += 1
    return " ".join(chosen)


def normalise(codename: str) -> str:
    return " ".join(re.split(r"[\s\-_.,]+", codename.strip().casefold())).strip()


def lookup_index(codename: str) -> str:
    return blind_index(normalise(codename), purpose="tip-codename")


def slow_hash(codename: str) -> str:
    return _hasher.hash(normalise(codename))


def verify(stored_hash: str, codename: str) -> bool:
    try:
        return _hasher.verify(stored_hash, normalise(codename))
    except (VerificationError, InvalidHashError):
        return False
