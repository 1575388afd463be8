from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "progress"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from privacy.media import register_viewer_check

        from .selectors import share_shows_media

        register_viewer_check("share", share_shows_media, label="Someone with your share link")
