"""Scheduled work: one signed checkpoint of the audit chain a day, for operators to ship elsewhere."""

from __future__ import annotations

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from beacon.audit.checkpoints import write_checkpoint

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="2", minute="10"))
def daily_checkpoint() -> None:
    path = write_checkpoint(settings.BEACON_AUDIT_CHECKPOINT_DIR)
    log.info("audit checkpoint written to %s", path)
