"""`manage.py create_roles`: the staff groups (support, moderator, data scientist, admin). Idempotent."""

from django.core.management.base import BaseCommand

from skincare.core.roles import roles_create


class Command(BaseCommand):
    help = "Create or update the staff role groups with their permissions (safe to run again)."

    def handle(self, *args, **options):
        # Permissions are created by post_migrate; make sure those of every installed model exist first.
        from django.apps import apps
        from django.contrib.auth.management import create_permissions

        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0)
        for result in roles_create():
            verb = "created" if result.created else "updated"
            self.stdout.write(f"{result.name}: {verb}, {result.permissions} permissions")
            if result.missing:
                self.stdout.write(f"  skipped (no such model yet): {', '.join(result.missing)}")
        self.stdout.write(self.style.SUCCESS("Roles are up to date."))
