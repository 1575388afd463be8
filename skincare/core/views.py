"""Health checks, signed media and JSON error handlers."""

from __future__ import annotations

import mimetypes
import sys

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .errors import (
    RETRY_AFTER_SECONDS,
    is_api_path,
    is_dependency_failure,
    json_error_response,
    service_unavailable_response,
)
from .storage import unsign_media_name


@require_GET
@never_cache
def healthz(request):
    """The process is up and serving."""
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    cache.set("readyz", "1", 5)
    if cache.get("readyz") != "1":
        raise RuntimeError("cache did not return the value just written")


def _check_broker() -> None:
    from skincare.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


CHECKS = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}


@require_GET
@never_cache
def readyz(request):
    """Database, cache and broker reachable; 503 with the failing parts otherwise."""
    results: dict[str, dict] = {}
    ok = True
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = {"ok": True}
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none raised
            ok = False
            results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    body = {"status": "ok" if ok else "unavailable", "checks": results}
    if not ok:
        body.update({"detail": "A dependency is not reachable.", "code": "dependency_unavailable"})
    response = JsonResponse(body, status=200 if ok else 503)
    if not ok:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@require_GET
def signed_media(request, token: str):
    """Serve a local media file only behind a valid, unexpired signature."""
    name = unsign_media_name(token)
    if not name or not default_storage.exists(name):
        raise Http404
    content_type, _ = mimetypes.guess_type(name)
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type or "application/octet-stream")
    response["Cache-Control"] = f"private, max-age={settings.SIGNED_URL_MAX_AGE}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _page_or_json(request, status_code: int, template: str):
    if is_api_path(request.path):
        return json_error_response(
            status_code,
            {
                404: "Not found.",
                403: "You are not allowed to do this.",
                400: "Bad request.",
                500: "Something went wrong on our side.",
            }[status_code],
        )
    return render(request, template, status=status_code)


def handler400(request, exception=None):
    return _page_or_json(request, 400, "errors/400.html")


def handler403(request, exception=None):
    return _page_or_json(request, 403, "errors/403.html")


def handler404(request, exception=None):
    return _page_or_json(request, 404, "errors/404.html")


def handler500(request):
    # Django calls this inside its `except` block: an exception raised outside any view (a middleware reaching a
    # database or cache that is down) is still a 503, not a 500.
    if is_dependency_failure(sys.exc_info()[1]):
        return service_unavailable_response(request)
    return _page_or_json(request, 500, "errors/500.html")


def home(request):
    """The landing page: what the product does and how it keeps photos private."""
    return render(request, "home.html")
