"""Activate a registered model version, roll back to the previous one, or run without a model.

manage.py activate_model <name>      manage.py activate_model --rollback
manage.py activate_model --none      manage.py activate_model --list
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from analysis import services
from analysis.models import ModelVersion
from skincare.core.errors import DomainError


class Command(BaseCommand):
    help = "Activate a model version (or --rollback, --none, --list)."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--rollback", action="store_true", help="Re-activate the previously active version")
        group.add_argument("--none", action="store_true", help="Deactivate every version (measures only)")
        group.add_argument("--list", action="store_true")

    def handle(self, *args, **opts):
        if opts["list"]:
            for v in ModelVersion.objects.order_by("-created_at"):
                mark = "*" if v.is_active else " "
                self.stdout.write(f"{mark} {v.name}  {v.backbone}  {v.metrics}")
            return
        if opts["rollback"]:
            version = services.model_version_rollback()
            if version is None:
                self.stdout.write(self.style.WARNING("No earlier version: no model is active now."))
            else:
                self.stdout.write(self.style.SUCCESS(f"Rolled back: {version.name} is active."))
            return
        if opts["none"]:
            services.model_version_deactivate_all()
            self.stdout.write(self.style.SUCCESS("No model is active: analyses use the measures only."))
            return
        if not opts["name"]:
            raise CommandError("Give a version name, --rollback, --none or --list.")
        version = ModelVersion.objects.filter(name=opts["name"]).first()
        if version is None:
            raise CommandError(f"No model version named {opts['name']!r}.")
        try:
            services.model_version_activate(version=version)
        except DomainError as exc:
            raise CommandError(exc.detail) from exc
        self.stdout.write(self.style.SUCCESS(f"{version.name} is now the active model."))
