"""Background work (Huey): ingest an uploaded file, then analyse the whole corpus."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey.contrib.djhuey import db_task

from beacon.accounts.models import User
from beacon.intel import services
from beacon.intel.models import ImportJob, JobStatus

logger = logging.getLogger(__name__)


@db_task()
def ingest_task(job_id: int) -> None:
    # claim the job atomically: a retried or duplicated message finds it taken and does nothing
    if not ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING):
        return
    try:
        job = services.ingest(ImportJob.objects.get(pk=job_id))
    except Exception:
        logger.exception("intel import %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            message="The import stopped on an unexpected error; the batches before it were stored.",
        )
        raise
    if job.status == JobStatus.DONE and job.analyse_after and job.posts_created:
        analyse_task(job.created_by_id)


@db_task()
def analyse_task(user_id: int | None = None) -> None:
    user = User.objects.filter(pk=user_id).first() if user_id else None
    try:
        services.run_analysis(user)
    except Exception:
        logger.exception("intel analysis failed")
        raise
