"""Periodic work: rebuild the dashboard facts (catches bulk loads and QuerySet.update() edits)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from beacon.insights import facts


@db_periodic_task(crontab(minute="*/30"))
def rebuild_case_facts() -> None:
    facts.refresh()
