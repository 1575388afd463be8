"""Registered with django-celery-beat by `manage.py setup_project`."""

SCHEDULE = {
    "recommendations: retrain nightly": {
        "task": "recommendations.tasks.retrain_recommender",
        "crontab": {"minute": "30", "hour": "3"},
    },
}
