from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "skincare.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import readcache

        readcache.connect()
