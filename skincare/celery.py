"""The Celery app: queues `default` and `inference`, late acks, prefetch 1, time limits.

Settings come from Django settings (CELERY_*). Tasks retry transient errors with backoff through
`skincare.celery.RETRY_KWARGS`.
"""

import os

from celery import Celery
from celery.signals import worker_process_init
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skincare.settings")

app = Celery("skincare")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("inference"))
app.autodiscover_tasks()

# Use on every task that talks to something that may blip: retried with exponential backoff.
RETRY_KWARGS = {
    "autoretry_for": (ConnectionError, TimeoutError, OSError),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@worker_process_init.connect
def _forget_inherited_database_pools(**kwargs) -> None:
    """A prefork pool process starts as a copy of the main process. Should the main process have opened a psycopg
    pool (nothing in it does today), the copy's sockets are the parent's and its pool threads did not survive the
    fork: forget the copy (closing it would end the parent's sessions) so that this process opens a pool of its own.
    Plain inherited connections are Celery's Django fix-up's business (it drops their descriptors)."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        pools = getattr(type(conn), "_connection_pools", None)
        if pools:
            _inherited.extend(pools.values())  # kept referenced: never garbage-collected (and closed) here
            pools.clear()


_inherited: list = []

# A task runs in the language of the request that queued it (skincare.core.i18n).
from skincare.core.i18n import connect_celery_signals  # noqa: E402

connect_celery_signals()
