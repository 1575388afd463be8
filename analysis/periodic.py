"""Periodic tasks of the analysis app (registered by `manage.py setup_project`)."""

SCHEDULE = {
    "analysis: requeue stale analyses": {"task": "analysis.tasks.requeue_stale_analyses", "every": 15},
}
