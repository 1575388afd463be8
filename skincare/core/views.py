"""Health checks and JSON error handlers (stored images are served by privacy.views.serve_media)."""

from __future__ import annotations

import sys

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .errors import (
    RETRY_AFTER_SECONDS,
    is_api_path,
    is_dependency_failure,
    json_error_response,
    service_unavailable_response,
)


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
        body.update({"detail": _("A dependency is not reachable."), "code": "dependency_unavailable"})
    response = JsonResponse(body, status=200 if ok else 503)
    if not ok:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _page_or_json(request, status_code: int, template: str):
    if is_api_path(request.path):
        return json_error_response(
            status_code,
            {
                404: _("Not found."),
                403: _("You are not allowed to do this."),
                400: _("Bad request."),
                500: _("Something went wrong on our side."),
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
    """Signed out: what the product does and how it keeps photos private. Signed in: the person's next step."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    return render(request, "home_signed_in.html", next_step(request.user))


def next_step(user) -> dict:
    """What a signed-in person should do now: a first selfie, then a routine, then today's checklist."""
    from analysis.selectors import analysis_history, latest_done_analysis
    from routines.selectors import today_checklist

    latest = analysis_history(user=user).first()
    latest_done = latest if latest is not None and latest.status == "done" else None
    if latest_done is None and latest is not None:
        latest_done = latest_done_analysis(user=user)
    checklist = today_checklist(user=user)
    if latest is None:
        step = "first_selfie"
    elif latest_done is None and latest.status in ("queued", "processing"):
        step = "wait_for_analysis"
    elif latest_done is None:
        step = "retake_selfie"
    elif not checklist:
        step = "build_routine"
    elif all(entry["done"] == entry["total"] for entry in checklist):
        step = "all_done_today"
    else:
        step = "today_checklist"
    return {"step": step, "latest": latest, "latest_done": latest_done, "checklist": checklist}
