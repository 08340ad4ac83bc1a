"""How intel records relate to a user, for the access policy.

Intel records are public online posts and what the analysis derives from them: no agency owns them,
so the policy grants them at scope ALL only and the record-level tests never match.
"""

from __future__ import annotations

from beacon.access.policy import Adapter, never, nothing, register


def register_adapters() -> None:
    register(
        "intel",
        Adapter(owner=never, agency=never, shared=never, q_own=nothing, q_agency=nothing, q_shared=nothing),
    )
