"""Background work for data rights. Thin: ids in, services do the work."""

from __future__ import annotations

import dataclasses
import logging

from celery import shared_task

from .services import exports, retention

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def data_export_build_task(export_id: int) -> None:
    try:
        exports.data_export_build(export_id=export_id)
    except exports.DataExportNotPending:
        logger.info("Data download %s was already picked up; nothing to do.", export_id)
    except exports.DataExportSuperseded:
        logger.warning("Data download %s was handed to another attempt; file dropped.", export_id)
    except Exception:
        # Marked failed with a reason for the page; the person can ask again.
        logger.exception("Data download %s failed", export_id)


@shared_task
def data_exports_sweep_task() -> dict[str, int]:
    return dataclasses.asdict(exports.data_exports_sweep())


@shared_task
def data_exports_purge_task() -> int:
    return exports.data_exports_purge_expired()


@shared_task
def inactive_accounts_anonymise_task() -> int:
    return len(retention.inactive_accounts_anonymise().anonymised)
