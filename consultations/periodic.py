"""Periodic tasks of the consultations app (registered by `manage.py setup_project`)."""

SCHEDULE = {
    "consultations: dispatch reminders": {"task": "consultations.tasks.dispatch_reminders", "every": 60},
}
