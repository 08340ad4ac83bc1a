"""Background work (Huey): deliver answers and staff replies by text; retry the failed ones."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from beacon.messaging import services


@db_task()
def deliver_task(outbound_id: int) -> None:
    services.deliver(outbound_id)


@db_periodic_task(crontab(minute="*"))
def retry_deliveries_task() -> None:
    # Each failure waits longer (1, 5, 15, 60 minutes); after six attempts the message is marked
    # not delivered and staff see that on the tip.
    services.retry_failed_deliveries()
