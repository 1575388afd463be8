from django.apps import AppConfig


class IngredientsConfig(AppConfig):
    name = "ingredients"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from skincare.core.warmup import on_worker_start

        from .matching import get_index

        on_worker_start(get_index)  # built from the database in each web process before its first connection
