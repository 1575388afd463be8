from celery import shared_task


@shared_task(name="core.ping")
def ping(value: str) -> str:
    """Round-trips through the broker; used by the live tests and the smoke test."""
    from django.core.cache import cache

    cache.set(f"ping:{value}", "pong", 60)
    return "pong"
