from django.apps import AppConfig


class IngredientsConfig(AppConfig):
    name = "ingredients"
    default_auto_field = "django.db.models.BigAutoField"
