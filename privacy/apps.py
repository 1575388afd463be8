from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Privacy: keys, access records, support grants, retention"

    def ready(self) -> None:
        from . import media

        media.register_builtin_checks()
