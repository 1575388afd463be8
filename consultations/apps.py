from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = "Dermatologist consultations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Consultation reminders go out through the routines app's delivery ledger (exactly once, every channel):
        # tell it how to word them.
        from routines.reminders import register_message

        from .reminders import consultation_reminder_message

        register_message("consultation", consultation_reminder_message)
