"""Periodic tasks of the routines app (registered by `manage.py setup_project`)."""

SCHEDULE = {
    "routines: dispatch reminders": {"task": "routines.tasks.dispatch_reminders", "every": 60},
}
