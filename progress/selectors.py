"""Reads of the progress app. Fetches of a user's objects go through the `*_get` functions (NotFound)."""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.apps import apps
from django.db import DatabaseError
from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from skincare.core.errors import NotFound

from . import stats
from .models import Milestone, ProgressEntry, ProgressMetric, ShareLink

STATS_DEFAULT_DAYS = 90
STATS_MAX_DAYS = 730


def user_today(user) -> date:
    """Today in the person's own time zone (profile), UTC without one."""
    tz_name = "UTC"
    profile = getattr(user, "profile", None) if user is not None else None
    if profile is not None and getattr(profile, "timezone", None):
        tz_name = profile.timezone
    try:
        tz = zoneinfo.ZoneInfo(tz_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    return timezone.now().astimezone(tz).date()


# --- analyses ----------------------------------------------------------------------------------
def _analysis_model():
    return apps.get_model("analysis", "SkinAnalysis")


def analysis_get(*, user, analysis_id):
    """The user's analysis (404 when missing or someone else's), through the analysis app's selector."""
    try:
        from analysis.selectors import analysis_get as get
    except ImportError:  # pragma: no cover - the analysis app ships its selector
        model = _analysis_model()
        try:
            return model.objects.owned_by(user).get(pk=analysis_id)
        except (model.DoesNotExist, ValueError, TypeError) as exc:
            raise NotFound(gettext("Analysis not found.")) from exc
    return get(user=user, analysis_id=analysis_id)


def done_analyses(*, user, since: date | None = None) -> QuerySet:
    qs = _analysis_model().objects.owned_by(user).done()
    if since is not None:
        qs = qs.filter(created_at__date__gte=since)
    return qs.order_by("created_at").only(
        "id", "created_at", "completed_at", "concerns", "overall_score", "status", "user_id"
    )


# --- self-logged metrics -----------------------------------------------------------------------
METRIC_MAX_POINTS = 2000  # one read is bounded: the newest points of the period


def metric_series(*, user, name: str | None = None, since: date | None = None) -> list[dict]:
    """The person's logged metrics as series, one per name (alphabetical), oldest point first, in one query:
    [{metric, count, latest, average, min, max, points: [{date, value, notes, recorded_at}]}]."""
    qs = ProgressMetric.objects.owned_by(user)
    if name:
        qs = qs.filter(name=name)
    if since is not None:
        qs = qs.filter(date__gte=since)
    rows = list(
        qs.order_by("-recorded_at").values_list("id", "name", "value", "notes", "date", "recorded_at")[
            :METRIC_MAX_POINTS
        ]
    )
    grouped: dict[str, list] = defaultdict(list)
    for row in reversed(rows):
        grouped[row[1]].append(row)
    out = []
    for metric, points in sorted(grouped.items()):
        values = [p[2] for p in points]
        out.append(
            {
                "metric": metric,
                "count": len(values),
                "latest": values[-1],
                "average": round(sum(values) / len(values), 2),
                "min": min(values),
                "max": max(values),
                "points": [
                    {"id": p[0], "date": p[4], "value": p[2], "notes": p[3], "recorded_at": p[5]} for p in points
                ],
            }
        )
    return out


def day_metrics(*, user, days: list[date]) -> dict[date, list[dict]]:
    """The metrics logged on each given day, in one query: {day: [{metric, value, notes}]} (timeline rows)."""
    if not days:
        return {}
    out: dict[date, list[dict]] = defaultdict(list)
    rows = (
        ProgressMetric.objects.owned_by(user)
        .filter(date__in=set(days))
        .order_by("date", "recorded_at")
        .values_list("date", "name", "value", "notes")
    )
    for day, metric, value, notes in rows:
        out[day].append({"metric": metric, "value": value, "notes": notes})
    return dict(out)


def analysis_day(analysis) -> date | datetime:
    """When an analysis counts in a trend: the date of the diary entry it belongs to (a photo logged for
    another day counts on that day), else when it was taken. Needs ``entry_date`` (``with_entry_dates``)."""
    entry_date = getattr(analysis, "entry_date", None)
    return entry_date if entry_date is not None else analysis.created_at


def with_entry_dates(qs: QuerySet) -> QuerySet:
    """Annotate ``entry_date``: the earliest diary entry date of each analysis (one query, no N+1)."""
    return qs.annotate(entry_date=Min("progress_entries__date"))


# --- entries -----------------------------------------------------------------------------------
def entry_list(*, user) -> QuerySet[ProgressEntry]:
    return ProgressEntry.objects.owned_by(user).select_related("analysis").order_by("-date", "-created_at")


def day_analyses(*, user, days: list[date]) -> dict[date, object]:
    """The latest done analysis of each given day (UTC date), in one query: the day's scores."""
    if not days:
        return {}
    out: dict[date, object] = {}
    qs = (
        _analysis_model()
        .objects.owned_by(user)
        .done()
        .filter(created_at__date__in=set(days))
        .order_by("created_at")
        .only("id", "created_at", "concerns", "overall_score", "status", "user_id")
    )
    for analysis in qs:
        out[analysis.created_at.date()] = analysis  # later ones overwrite: the day's latest
    return out


def milestone_list(*, user) -> QuerySet[Milestone]:
    return Milestone.objects.owned_by(user).order_by("-achieved_at")


# --- routine adherence -------------------------------------------------------------------------
def adherence(*, user, start: date, end: date) -> dict:
    """Routine adherence between two dates (inclusive), as the routines app defines it (one definition).

    Returns {rate, done, expected, reason, calendar: [{date, expected, done, complete}], complete_days};
    rate is null, with a reason, when nothing was scheduled or the routines app is absent.
    """
    empty = {"rate": None, "done": 0, "expected": 0, "calendar": [], "complete_days": []}
    try:
        from routines.selectors import adherence as routines_adherence
    except ImportError:  # pragma: no cover - routines ships it
        return {**empty, "reason": gettext("Routines are not available on this server.")}
    try:
        result = routines_adherence(user=user, start=start, end=end)
    except DatabaseError:  # pragma: no cover - routines' tables missing (app not migrated)
        return {**empty, "reason": gettext("Routines are not available on this server.")}
    calendar = []
    for key, day in sorted(result.get("by_day", {}).items()):
        expected, done = int(day.get("scheduled", 0)), int(day.get("completed", 0))
        calendar.append(
            {"date": date.fromisoformat(key), "expected": expected, "done": done, "complete": 0 < expected <= done}
        )
    rate = result.get("rate")
    reason = None
    if rate is None:
        reason = (
            gettext("Nothing was scheduled in this period: start a routine to track adherence.")
            if not any(c["expected"] for c in calendar)
            else gettext("Nothing was scheduled in this period.")
        )
    return {
        "rate": rate,
        "done": int(result.get("completed", 0)),
        "expected": int(result.get("scheduled", 0)),
        "reason": reason,
        "calendar": calendar if any(c["expected"] for c in calendar) else [],
        "complete_days": [c["date"] for c in calendar if c["complete"]],
    }


# --- stats -------------------------------------------------------------------------------------
def progress_stats(*, user, days: int = STATS_DEFAULT_DAYS) -> dict:
    days = max(1, min(int(days), STATS_MAX_DAYS))
    today = user_today(user)
    start = today - timedelta(days=days - 1)
    entry_rows = list(
        ProgressEntry.objects.owned_by(user).filter(date__gte=start - timedelta(days=60)).values_list("date", "rating")
    )
    log_days = [d for d, _ in entry_rows]
    ratings = [(d, r) for d, r in entry_rows if r is not None and d >= start]
    adh = adherence(user=user, start=start, end=today)
    routine_days = adh.pop("complete_days")
    analyses = list(with_entry_dates(done_analyses(user=user, since=start)))
    samples: dict[str, list] = defaultdict(list)
    overall_samples = []
    for analysis in analyses:
        when = analysis_day(analysis)  # the entry's own date, not the upload time
        for concern in analysis.concerns or []:
            if concern.get("key") and concern.get("score") is not None:
                samples[concern["key"]].append((when, concern["score"]))
        if analysis.overall_score is not None:
            overall_samples.append((when, analysis.overall_score))
    trends = [stats.concern_trend(key, series).as_dict(gettext) for key, series in sorted(samples.items())]
    rating_trend = stats.concern_trend("rating", ratings)
    return {
        "period": {"start": start, "end": today, "days": days},
        "adherence": adh,
        "streaks": {
            "logging": _streak_dict(stats.streaks(log_days, today)),
            "routine": _streak_dict(stats.streaks(routine_days, today))
            if adh["rate"] is not None or routine_days
            else None,
        },
        "overall": stats.concern_trend("overall", overall_samples).as_dict(gettext),
        "trends": trends,
        "ratings": {
            "count": len(ratings),
            "average": round(sum(r for _, r in ratings) / len(ratings), 2) if ratings else None,
            "slope_per_week": rating_trend.slope_per_week,
        },
        "entries": sum(1 for d in log_days if d >= start),
        "analyses": len(analyses),
        "metrics": metric_series(user=user, since=start),
    }


def _streak_dict(s: dict) -> dict:
    return {"current": s["current"], "longest": s["longest"], "current_start": s["current_start"]}


# --- sharing -----------------------------------------------------------------------------------
def share_list(*, user) -> QuerySet[ShareLink]:
    return ShareLink.objects.owned_by(user).order_by("-created_at")


def share_get(*, user, share_id) -> ShareLink:
    try:
        return ShareLink.objects.owned_by(user).get(pk=share_id)
    except (ShareLink.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(gettext("Share link not found.")) from exc


def share_get_public(*, token: str) -> ShareLink:
    """A live share link by its token: 404 when unknown, expired, revoked or hidden."""
    try:
        return ShareLink.objects.live().select_related("analysis", "before", "after").get(token=token)
    except (ShareLink.DoesNotExist, ValueError) as exc:
        raise NotFound(gettext("This shared page does not exist or is no longer available.")) from exc


def share_media_names(*, share: ShareLink) -> set[str]:
    """The stored images a share link shows: the analysis' photo and overlay, or both photos of a comparison
    and its aligned image."""
    from .models import Comparison

    if share.kind == ShareLink.Kind.ANALYSIS:
        a = share.analysis
        return {n for n in (a.image.name, a.overlay.name if a.overlay else "") if n}
    names = {n for n in (share.before.image.name, share.after.image.name) if n}
    aligned = (
        Comparison.objects.filter(before_id=share.before_id, after_id=share.after_id)
        .exclude(aligned_image="")
        .values_list("aligned_image", flat=True)
        .first()
    )
    if aligned:
        names.add(aligned)
    return names


def share_shows_media(viewer, media) -> bool:
    """privacy.media's check for viewer kind "share": the link is live (not expired, revoked or hidden), belongs
    to the image's owner and shows that image."""
    share = ShareLink.objects.live().select_related("analysis", "before", "after").filter(pk=viewer.ref).first()
    return share is not None and share.user_id == media.owner_id and media.name in share_media_names(share=share)
