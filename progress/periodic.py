"""Beat schedule of the progress app (registered by `manage.py setup_project`)."""

SCHEDULE = {
    "progress-milestones-daily": {
        "task": "progress.tasks.detect_milestones_daily",
        "crontab": {"minute": "15", "hour": "2"},
    },
    "progress-sweep-aligned-files": {
        "task": "progress.tasks.sweep_aligned_files",
        "crontab": {"minute": "45", "hour": "3"},
    },
}
