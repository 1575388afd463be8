from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Dermatologist consultations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Consultation reminders go out through the routines app's delivery ledger (exactly once, every channel):
        # tell it how to word them.
        from routines.reminders import register_message

        from .reminders import consultation_reminder_message

        register_message("consultation", consultation_reminder_message)

        # A dermatologist sees a person's photos only through privacy's serving path, for a consultation that
        # shares them and while sharing is open; each serving is recorded for the person.
        from privacy.media import register_viewer_check

        from .material import VIEWER_KIND, may_see, viewer_name, viewer_words

        register_viewer_check(VIEWER_KIND, may_see, name=viewer_name, words=viewer_words)
