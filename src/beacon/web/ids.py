"""Short, non-sequential identifiers shown to people (they never leak counts)."""

import secrets

# Crockford-style alphabet without look-alikes (no I, L, O, U).
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_public_id(length: int = 10) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))
