"""Staff pages inside the admin: analytics, ML monitoring (with activate / roll back), CSV exports.

Moderation is the progress app's admin (ShareLink / ShareReport actions that ask for a reason).

Each view is wrapped by `admin.site.admin_view` (staff login) and checks its own permission (403 otherwise).
Numbers come from skincare.core.analytics; charts from skincare.core.charts (inline SVG).
"""

from __future__ import annotations

import csv
import datetime
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from skincare.core import analytics, charts
from skincare.core.audit import audit_record, client_ip
from skincare.core.errors import DomainError

DAY_CHOICES = (7, 30, 90, 365)
CACHE_SECONDS = 300  # series over days and weeks need not be live; `?refresh=1` recomputes (the queue is live)


def _cached(request, key: str, compute: Callable[[], Any]) -> Any:
    """The value computed in the last CACHE_SECONDS (shared by the page and its CSV), or a fresh one."""
    key = f"core:staff:{key}:{timezone.now().date().isoformat()}"
    if request.GET.get("refresh") != "1":
        hit = cache.get(key)
        if hit is not None:
            return hit
    value = compute()
    cache.set(key, value, CACHE_SECONDS)
    return value


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _days(request) -> int:
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    return days if days in DAY_CHOICES else 30


def _context(request, site: admin.AdminSite, title: str, **extra) -> dict:
    return {**site.each_context(request), "title": title, **extra}


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(["" if v is None else v for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- analytics ----------------------------------------------------------------------------------
SECTIONS: dict[str, tuple[str, Callable[[int], list[dict]], list[str]]] = {
    "users": (
        "Sign-ups and active users",
        analytics.signups_and_active_users,
        ["day", "signups", "active_users"],
    ),
    "analyses": (
        "Analyses",
        analytics.analyses_per_day,
        ["day", "uploads", "done", "failed", "failure_rate", "p50_ms", "p95_ms"],
    ),
    "scans": ("Ingredient scans", analytics.scans_per_day, ["day", "scans", "photo", "text"]),
    "adherence": (
        "Routine adherence",
        analytics.routine_adherence,
        ["day", "steps_due", "steps_completed", "adherence", "people_completing"],
    ),
    "reminders": ("Reminders sent", analytics.reminders_per_day, ["day", "reminders_sent", "inapp", "email", "sms"]),
}


def _label(day: datetime.date) -> str:
    return day.strftime("%d %b")


def _section_charts(key: str, rows: list[dict]) -> list:
    if not rows:
        return []
    labels = [_label(r["day"]) for r in rows]
    col = lambda name: [r[name] for r in rows]  # noqa: E731
    if key == "users":
        return [
            charts.bar_chart(labels, col("signups"), title="Sign-ups per day", y_label="accounts"),
            charts.bar_chart(labels, col("active_users"), title="Active users per day", y_label="people"),
        ]
    if key == "analyses":
        rate = [None if v is None else round(v * 100, 1) for v in col("failure_rate")]
        return [
            charts.bar_chart(labels, col("uploads"), title="Analyses per day", y_label="uploads"),
            charts.bar_chart(labels, rate, title="Failure rate per day (% of finished)", y_label="%"),
            charts.line_chart(
                labels, {"p50": col("p50_ms"), "p95": col("p95_ms")}, title="Processing time", y_label="ms"
            ),
        ]
    if key == "scans":
        return [charts.bar_chart(labels, col("scans"), title="Scans per day", y_label="scans")]
    if key == "adherence":
        pct = [None if v is None else round(v * 100, 1) for v in col("adherence")]
        return [charts.bar_chart(labels, pct, title="Routine adherence (% of due steps done)", y_label="%")]
    if key == "reminders":
        return [charts.bar_chart(labels, col("reminders_sent"), title="Reminders sent per day", y_label="sent")]
    return []


def analytics_view(request, site):
    _require(request, "core.view_analytics")
    days = _days(request)
    sections = []
    for key, (title, func, columns) in SECTIONS.items():
        rows = _cached(request, f"{key}:{days}", lambda func=func: func(days))
        sections.append(
            {
                "key": key,
                "title": title,
                "columns": columns,
                "table": [[row[c] for c in columns] for row in reversed(rows)],  # newest first
                "charts": _section_charts(key, rows),
                "csv_url": reverse("admin:core-analytics-csv", args=[key]) + f"?days={days}",
                "empty": not rows,
            }
        )
    context = _context(
        request,
        site,
        "Analytics",
        days=days,
        day_choices=DAY_CHOICES,
        queue=analytics.queue_status(),
        sections=sections,
    )
    return TemplateResponse(request, "admin/analytics/dashboard.html", context)


def analytics_csv(request, site, section: str):
    _require(request, "core.view_analytics")
    if section == "queue":
        status = analytics.queue_status()
        header = list(status)
        return csv_response("queue.csv", header, [[status[k] for k in header]])
    if section not in SECTIONS:
        raise Http404
    _title, func, columns = SECTIONS[section]
    days = _days(request)
    rows = _cached(request, f"{section}:{days}", lambda: func(days))
    return csv_response(f"{section}-{days}d.csv", columns, ([row[c] for c in columns] for row in rows))


# --- ML monitoring ------------------------------------------------------------------------------
def _version_or_404(version: str):
    """'none' is the measured engine without a learned model."""
    if version == "none":
        return None, "measured engine (no model)"
    model = analytics.model("analysis.ModelVersion")
    if model is None:
        raise Http404
    try:
        found = model.objects.get(pk=uuid.UUID(version))
    except (ValueError, model.DoesNotExist):
        raise Http404 from None
    return found, found.name


def ml_overview(request, site):
    _require(request, "core.view_ml_monitoring")
    versions = analytics.model_versions_overview()
    for row in versions:
        row["slug"] = "none" if row["id"] is None else str(row["id"])
    context = _context(
        request,
        site,
        "ML monitoring",
        versions=versions,
        can_manage=request.user.has_perm("core.manage_model_versions"),
        can_export=request.user.has_perm("core.export_training_data"),
    )
    return TemplateResponse(request, "admin/analytics/ml_overview.html", context)


def ml_version(request, site, version: str):
    _require(request, "core.view_ml_monitoring")
    found, name = _version_or_404(version)
    version_id = None if found is None else found.pk
    dist = _cached(request, f"dist:{version}", lambda: analytics.score_distributions(version_id))
    drift = _cached(request, f"drift:{version}", lambda: analytics.concern_drift(version_id))
    weeks = drift["weeks"]
    drift_chart = None
    if weeks:
        by_week = {key: {p["week"]: p["mean"] for p in points} for key, points in drift["series"].items()}
        drift_chart = charts.line_chart(
            [w.strftime("%d %b") for w in weeks],
            {key: [by_week[key].get(w) for w in weeks] for key in drift["concerns"]},
            title="Weekly mean score per concern",
            y_label="score",
        )
    drift_rows = []
    for key in drift["concerns"]:
        points = drift["series"].get(key, [])
        latest = points[-1] if points else None
        drift_rows.append(
            {
                "concern": key,
                "baseline": drift["baseline"].get(key),
                "latest_week": latest["week"] if latest else None,
                "latest_mean": latest["mean"] if latest else None,
                "delta": latest["delta"] if latest else None,
                "n": latest["n"] if latest else 0,
            }
        )
    context = _context(
        request,
        site,
        f"ML monitoring: {name}",
        version=found,
        slug=version,
        name=name,
        dist=dist,
        overall_chart=charts.histogram_chart(dist["overall_score"], title="Overall score"),
        type_conf_chart=charts.histogram_chart(dist["skin_type_confidence"], title="Skin-type confidence"),
        concern_conf_chart=charts.histogram_chart(dist["concern_confidence"], title="Concern confidence"),
        concern_charts=[(key, charts.histogram_chart(h, title=f"{key} score")) for key, h in dist["concerns"].items()],
        agreement=analytics.feedback_agreement(version_id),
        drift=drift,
        drift_chart=drift_chart,
        drift_rows=drift_rows,
        can_manage=request.user.has_perm("core.manage_model_versions"),
    )
    return TemplateResponse(request, "admin/analytics/ml_version.html", context)


def ml_version_csv(request, site, version: str, section: str):
    _require(request, "core.view_ml_monitoring")
    found, _name = _version_or_404(version)
    version_id = None if found is None else found.pk
    if section == "distributions":
        dist = _cached(request, f"dist:{version}", lambda: analytics.score_distributions(version_id))
        hists = [("overall_score", dist["overall_score"]), ("skin_type_confidence", dist["skin_type_confidence"])]
        hists += [("concern_confidence", dist["concern_confidence"])]
        hists += [(f"concern:{k}", h) for k, h in dist["concerns"].items()]
        rows = ([name, r["from"], r["to"], r["count"]] for name, h in hists for r in h.rows())
        return csv_response(f"distributions-{version}.csv", ["measure", "from", "to", "count"], rows)
    if section == "drift":
        drift = _cached(request, f"drift:{version}", lambda: analytics.concern_drift(version_id))
        rows = (
            [key, p["week"], p["n"], p["mean"], drift["baseline"].get(key), p["delta"]]
            for key, points in drift["series"].items()
            for p in points
        )
        return csv_response(f"drift-{version}.csv", ["concern", "week", "n", "mean", "baseline", "delta"], rows)
    if section == "agreement":
        agreement = analytics.feedback_agreement(version_id)
        return csv_response(f"agreement-{version}.csv", list(agreement), [list(agreement.values())])
    raise Http404


def _services():
    from analysis import services  # the analysis app owns activation; this page only calls it

    return services


@require_POST
def ml_activate(request, site, version: str):
    _require(request, "core.manage_model_versions")
    found, name = _version_or_404(version)
    if found is None:
        raise Http404
    previous = analytics.apps.get_model("analysis.ModelVersion").objects.filter(is_active=True).first()
    try:
        _services().model_version_activate(version=found)
    except DomainError as exc:  # held-out metrics do not beat the trivial baseline: refused, with why
        messages.error(request, exc.detail)
        return HttpResponseRedirect(reverse("admin:core-ml-version", args=[version]))
    audit_record(
        actor=request.user,
        action="model",
        obj=found,
        name="model_version_activate",
        changes={"active_version": [previous.name if previous else None, found.name]},
        ip_address=client_ip(request),
    )
    messages.success(request, f"{name} is now the active model; workers load it with their next analysis.")
    return HttpResponseRedirect(reverse("admin:core-ml-version", args=[version]))


@require_POST
def ml_rollback(request, site):
    _require(request, "core.manage_model_versions")
    model = analytics.apps.get_model("analysis.ModelVersion")
    previous = model.objects.filter(is_active=True).first()
    restored = _services().model_version_rollback()
    audit_record(
        actor=request.user,
        action="model",
        obj=restored or previous,
        model=model,
        name="model_version_rollback",
        changes={"active_version": [previous.name if previous else None, restored.name if restored else None]},
        ip_address=client_ip(request),
    )
    if restored:
        messages.success(request, f"Rolled back: {restored.name} is active again.")
    else:
        messages.warning(request, "No earlier version: no learned model is active now (measured engine only).")
    return HttpResponseRedirect(reverse("admin:core-ml"))


def training_data_csv(request, site):
    """Feedback joined with its analysis: the labels people gave, for training. Audited."""
    _require(request, "core.export_training_data")
    feedback = analytics.model("analysis.Feedback")
    if feedback is None:
        raise Http404
    audit_record(
        actor=request.user,
        action="export",
        model=feedback,
        name="training_data_export",
        detail="Feedback labels exported as CSV",
        ip_address=client_ip(request),
    )
    qs = feedback.objects.select_related("analysis", "analysis__model_version").order_by("created_at")
    header = [
        "feedback_id",
        "created_at",
        "analysis_id",
        "image",
        "model_version",
        "predicted_skin_type",
        "skin_type_confidence",
        "corrected_skin_type",
        "predicted_age",
        "corrected_age",
        "rating",
    ]

    def rows():
        for f in qs.iterator(chunk_size=2000):
            a = f.analysis
            yield [
                f.pk,
                f.created_at.isoformat(),
                a.pk,
                a.image.name,
                a.model_version.name if a.model_version else "",
                a.skin_type,
                a.skin_type_confidence,
                f.corrected_skin_type,
                a.skin_age,
                f.corrected_age,
                f.rating,
            ]

    return csv_response("training-feedback.csv", header, rows())


# --- wiring -------------------------------------------------------------------------------------
def urls(site: admin.AdminSite) -> list:
    def wrap(view):
        def inner(request, *args, **kwargs):
            return view(request, site, *args, **kwargs)

        inner.__name__ = view.__name__
        return site.admin_view(inner)

    return [
        path("analytics/", wrap(analytics_view), name="core-analytics"),
        path("analytics/<slug:section>.csv", wrap(analytics_csv), name="core-analytics-csv"),
        path("ml/", wrap(ml_overview), name="core-ml"),
        path("ml/rollback/", wrap(ml_rollback), name="core-ml-rollback"),
        path("ml/training-data.csv", wrap(training_data_csv), name="core-training-data"),
        path("ml/<str:version>/", wrap(ml_version), name="core-ml-version"),
        path("ml/<str:version>/activate/", wrap(ml_activate), name="core-ml-activate"),
        path("ml/<str:version>/<slug:section>.csv", wrap(ml_version_csv), name="core-ml-version-csv"),
    ]
