from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "skincare.core"
    label = "core"
    verbose_name = "Core"
