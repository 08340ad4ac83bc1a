"""Model pieces every app shares."""

from __future__ import annotations

from django.db import models

from beacon.web.ids import new_public_id


class PublicIdModel(models.Model):
    """A record people refer to: a short, non-sequential `public_id` for URLs, the audit log and
    conversation, so database keys (and with them record counts) never leave the server."""

    public_id = models.CharField(max_length=12, unique=True, default=new_public_id, editable=False)

    class Meta:
        abstract = True
