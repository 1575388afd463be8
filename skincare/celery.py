"""The Celery app: queues `default` and `inference`, late acks, prefetch 1, time limits.

Settings come from Django settings (CELERY_*). Tasks retry transient errors with backoff through
`skincare.celery.RETRY_KWARGS`.
"""

import os

from celery import Celery
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

# A task runs in the language of the request that queued it (skincare.core.i18n).
from skincare.core.i18n import connect_celery_signals  # noqa: E402

connect_celery_signals()
