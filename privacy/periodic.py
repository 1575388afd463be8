"""Beat schedule of the privacy app (registered by `manage.py setup_project`)."""

SCHEDULE = {
    "privacy: retention sweep": {"task": "privacy.tasks.retention_sweep", "every": 300},
}
