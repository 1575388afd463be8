"""Load bundled data and register periodic tasks. Idempotent: safe on every `make run`.

Conventions, so apps never edit a shared file:
- `<app>/setup.py` may define `setup_app(stdout)`: loads that app's bundled data (idempotently).
- `<app>/periodic.py` may define `SCHEDULE = {name: {"task": dotted, "every": seconds}}` or
  `{"task": ..., "crontab": {"minute": "0", "hour": "3"}}`; written to django-celery-beat's tables.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

PROJECT_APPS = (
    "accounts",
    "analysis",
    "ingredients",
    "routines",
    "progress",
    "recommendations",
    "consultations",
    "privacy",
)


def _optional(module: str):
    try:
        return import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return None
        raise


def register_periodic_tasks() -> list[str]:
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    names = []
    for app in PROJECT_APPS:
        module = _optional(f"{app}.periodic")
        for name, spec in getattr(module, "SCHEDULE", {}).items():
            defaults = {
                "task": spec["task"],
                "enabled": True,
                "interval": None,
                "crontab": None,
                "queue": spec.get("queue", "default"),
            }
            if "every" in spec:
                defaults["interval"], _ = IntervalSchedule.objects.get_or_create(
                    every=int(spec["every"]), period=IntervalSchedule.SECONDS
                )
            else:
                defaults["crontab"], _ = CrontabSchedule.objects.get_or_create(
                    timezone="UTC", **{k: str(v) for k, v in spec["crontab"].items()}
                )
            PeriodicTask.objects.update_or_create(name=name, defaults=defaults)
            names.append(name)
    return names


class Command(BaseCommand):
    help = "Load every app's bundled data and register periodic tasks (idempotent)."

    def handle(self, *args, **options):
        for app in PROJECT_APPS:
            if not apps.is_installed(app):
                continue
            module = _optional(f"{app}.setup")
            if module and hasattr(module, "setup_app"):
                self.stdout.write(f"Setting up {app}…")
                module.setup_app(self.stdout)
        with transaction.atomic():
            names = register_periodic_tasks()
        self.stdout.write(self.style.SUCCESS(f"Periodic tasks: {', '.join(names) or 'none'}"))
