"""Model pieces every app shares."""

from __future__ import annotations

from typing import Any

from django.db import models

from beacon.web.ids import new_public_id


class PublicIdModel(models.Model):
    """A record people refer to: a short, non-sequential `public_id` for URLs, the audit log and
    conversation, so database keys (and with them record counts) never leave the server."""

    public_id = models.CharField(max_length=12, unique=True, default=new_public_id, editable=False)

    class Meta:
        abstract = True


def in_code_list(field: str, codes: Any, *, name: str, blank: bool = False) -> models.CheckConstraint:
    """A database CHECK that `field` holds one of `codes` (a TextChoices class or (value, label)
    pairs), or "" when `blank`: a value outside the list cannot be stored by any path, the ORM's
    or a hand-written statement's. `beacon check_codes` lists rows that predate the check."""
    values = list(codes.values) if hasattr(codes, "values") else [value for value, _label in codes]
    if blank:
        values.append("")
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": values}), name=name)
