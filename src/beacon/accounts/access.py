"""Access adapters for agencies and their users."""

from django.db.models import Q

from beacon.access.policy import Adapter, never, nothing, register


def register_adapters() -> None:
    register(
        "user",
        Adapter(
            owner=lambda user, record: record.pk == user.pk,
            agency=lambda user, record: user.agency_id is not None and record.agency_id == user.agency_id,
            shared=never,
            q_own=lambda user: Q(pk=user.pk),
            q_agency=lambda user: Q(agency_id=user.agency_id) if user.agency_id else nothing(user),
            q_shared=nothing,
        ),
    )
    register(
        "agency",
        Adapter(
            owner=never,
            agency=lambda user, record: record.pk == user.agency_id,
            shared=never,
            q_own=nothing,
            q_agency=lambda user: Q(pk=user.agency_id) if user.agency_id else nothing(user),
            q_shared=nothing,
        ),
    )
    register(
        "audit",
        Adapter(
            owner=lambda user, record: record.actor_id == user.pk,
            agency=lambda user, record: user.agency_id is not None and record.actor_agency_id == user.agency_id,
            shared=never,
            q_own=lambda user: Q(actor_id=user.pk),
            q_agency=lambda user: Q(actor_agency_id=user.agency_id) if user.agency_id else nothing(user),
            q_shared=nothing,
        ),
    )
