"""Background exports. Thin: ids in, services do the work."""

from __future__ import annotations

import dataclasses
import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def export_build_task(job_id: int) -> None:
    try:
        services.export_job_build(job_id=job_id)
    except services.ExportJobNotPending:
        logger.info("Export job %s was already picked up; nothing to do.", job_id)
    except services.ExportJobSuperseded:
        logger.warning("Export job %s was handed to another attempt; file dropped.", job_id)
    except Exception:
        # The job is marked failed with a reason for the page; no retry, since a
        # rebuild would not fix a bad row and the person can ask again.
        logger.exception("Export job %s failed", job_id)


@shared_task
def export_jobs_sweep_task() -> dict[str, int]:
    return dataclasses.asdict(services.export_jobs_sweep())


@shared_task
def export_purge_expired_task() -> int:
    return services.export_jobs_purge_expired()
