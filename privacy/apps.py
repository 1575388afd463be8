from django.apps import AppConfig
from django.core import checks


class PrivacyConfig(AppConfig):
    name = "privacy"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Privacy: keys, access records, support grants, retention"

    def ready(self) -> None:
        from . import media

        media.register_builtin_checks()
        checks.register(check_master_keys)
        checks.register(check_master_key_in_environment, checks.Tags.security, deploy=True)


def check_master_keys(app_configs=None, **kwargs) -> list:
    """A master key that does not parse would make every stored photo unreadable: refuse to start."""
    from django.conf import settings

    from .crypto import parse_master_key

    errors = []
    try:
        parse_master_key(settings.MEDIA_MASTER_KEY)
    except ValueError as exc:
        errors.append(checks.Error(f"MEDIA_MASTER_KEY: {exc}", id="privacy.E001"))
    for i, text in enumerate(getattr(settings, "MEDIA_MASTER_KEYS_PREVIOUS", []) or []):
        try:
            parse_master_key(text)
        except ValueError as exc:
            errors.append(checks.Error(f"MEDIA_MASTER_KEYS_PREVIOUS[{i}]: {exc}", id="privacy.E002"))
    return errors


def check_master_key_in_environment(app_configs=None, **kwargs) -> list:
    from django.conf import settings

    if getattr(settings, "MEDIA_MASTER_KEY_FROM_ENV", True):
        return []
    return [
        checks.Warning(
            "MEDIA_MASTER_KEY is not set: a key was generated into var/media_master_key. Set it from a secret store, "
            "the same on every process, and keep it out of the backups (README: keys and retention).",
            id="privacy.W001",
        )
    ]
