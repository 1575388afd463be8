"""Product analytics and ML monitoring: plain functions over querysets, each returning rows of plain values.

Every function works on SQLite and PostgreSQL. Days are UTC calendar days; a window is the last `days` days
including today. Percentiles are linear-interpolated (numpy's default, PostgreSQL's percentile_cont): computed
by the database with percentile_cont on PostgreSQL, in Python over the window's rows elsewhere. Apps are
looked up lazily, so a page whose app has no table yet shows nothing instead of failing.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from django.db.models import Aggregate, Count, FloatField, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from domain import routine as routine_rules

MAX_DAYS = 366
MAX_ROWS = 200_000  # the most rows any Python-side computation reads
HISTOGRAM_BINS = 10


# --- helpers -----------------------------------------------------------------------------------
def model(label: str):
    """The model, or None when the app has not defined it or its table does not exist yet."""
    try:
        found = apps.get_model(label)
    except LookupError:
        return None
    table = found._meta.db_table
    if table not in _known_tables:
        _known_tables.update(connection.introspection.table_names())  # a table, once there, stays
        if table not in _known_tables:
            return None
    return found


_known_tables: set[str] = set()


def window(days: int, *, today: datetime.date | None = None) -> list[datetime.date]:
    days = max(1, min(int(days), MAX_DAYS))
    today = today or timezone.now().date()
    return [today - datetime.timedelta(days=n) for n in range(days - 1, -1, -1)]


def day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default and PostgreSQL's percentile_cont)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    if low == high:
        return float(ordered[low])
    return float(ordered[low] + (ordered[high] - ordered[low]) * (position - low))


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate: percentile_cont(q) WITHIN GROUP (ORDER BY expr)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=f"{float(fraction):.6f}", **extra)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _per_day(qs: QuerySet, field: str, days: list[datetime.date], **counts) -> dict[datetime.date, dict]:
    """{day: {"n": count, **named conditional counts}} for rows whose `field` falls in the window."""
    rows = (
        _in_window(qs, field, days)
        .annotate(day=TruncDate(field, tzinfo=datetime.UTC))
        .values("day")
        .annotate(n=Count("pk"), **{name: Count("pk", filter=cond) for name, cond in counts.items()})
        .order_by()
    )
    return {_as_date(row["day"]): row for row in rows}


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _in_window(qs: QuerySet, field: str, days: list[datetime.date]) -> QuerySet:
    end = day_start(days[-1]) + datetime.timedelta(days=1)
    return qs.filter(**{f"{field}__gte": day_start(days[0]), f"{field}__lt": end})


# --- users --------------------------------------------------------------------------------------
ACTIVITY_SOURCES = (
    ("analysis.SkinAnalysis", "created_at"),
    ("analysis.Feedback", "created_at"),
    ("ingredients.Scan", "created_at"),
    ("routines.StepCompletion", "completed_at"),
    ("progress.ProgressEntry", "created_at"),
)


def signups_and_active_users(days: int = 30) -> list[dict]:
    """Per day: new accounts, and active users (did at least one thing: an analysis, feedback, a scan, a
    completed routine step or a diary entry; distinct people, counted once across all of them)."""
    span = window(days)
    user_model = apps.get_model("accounts.User")
    signups = _per_day(user_model.objects.all(), "date_joined", span)
    active: dict[datetime.date, set] = defaultdict(set)
    for label, field in ACTIVITY_SOURCES:
        source = model(label)
        if source is None:
            continue
        pairs = (
            _in_window(source.objects.all(), field, span)
            .annotate(day=TruncDate(field, tzinfo=datetime.UTC))
            .values_list("day", "user_id")
            .distinct()
            .order_by()
        )
        for day, user_id in pairs[:MAX_ROWS].iterator():
            active[_as_date(day)].add(user_id)
    return [
        {"day": day, "signups": signups.get(day, {}).get("n", 0), "active_users": len(active.get(day, ()))}
        for day in span
    ]


# --- analyses -----------------------------------------------------------------------------------
def analyses_per_day(days: int = 30) -> list[dict]:
    """Per day (by upload time): uploads, done, failed, the failure rate among finished ones, and the p50/p95
    processing time (ms) of those done."""
    span = window(days)
    analysis = model("analysis.SkinAnalysis")
    if analysis is None:
        return []
    counts = _per_day(analysis.objects.all(), "created_at", span, done=Q(status="done"), failed=Q(status="failed"))
    timed = _in_window(analysis.objects.filter(status="done", processing_ms__isnull=False), "created_at", span)
    p50: dict[datetime.date, float | None] = {}
    p95: dict[datetime.date, float | None] = {}
    if _is_postgres():
        rows = (
            timed.annotate(day=TruncDate("created_at", tzinfo=datetime.UTC))
            .values("day")
            .annotate(p50=PercentileCont("processing_ms", 0.5), p95=PercentileCont("processing_ms", 0.95))
            .order_by()
        )
        for row in rows:
            p50[_as_date(row["day"])], p95[_as_date(row["day"])] = row["p50"], row["p95"]
    else:
        per_day: dict[datetime.date, list[int]] = defaultdict(list)
        values = timed.annotate(day=TruncDate("created_at", tzinfo=datetime.UTC)).values_list("day", "processing_ms")
        for day, ms in values.order_by()[:MAX_ROWS].iterator():
            per_day[_as_date(day)].append(ms)
        for day, values_ms in per_day.items():
            p50[day], p95[day] = percentile(values_ms, 0.5), percentile(values_ms, 0.95)
    out = []
    for day in span:
        row = counts.get(day, {})
        done, failed = row.get("done", 0), row.get("failed", 0)
        out.append(
            {
                "day": day,
                "uploads": row.get("n", 0),
                "done": done,
                "failed": failed,
                "failure_rate": _ratio(failed, done + failed),
                "p50_ms": _round(p50.get(day)),
                "p95_ms": _round(p95.get(day)),
            }
        )
    return out


def _round(value, digits: int = 1):
    return None if value is None else round(float(value), digits)


def queue_status(*, now: datetime.datetime | None = None) -> dict:
    """Queue depth (analyses waiting for a worker), those being processed, and the age of the oldest waiting."""
    analysis = model("analysis.SkinAnalysis")
    if analysis is None:
        return {"queued": 0, "processing": 0, "oldest_queued_at": None, "oldest_queued_age_s": None}
    now = now or timezone.now()
    counts = analysis.objects.aggregate(
        queued=Count("pk", filter=Q(status="queued")), processing=Count("pk", filter=Q(status="processing"))
    )
    oldest = analysis.objects.filter(status="queued").order_by("created_at").values_list("created_at", flat=True)
    oldest_at = oldest.first()
    return {
        "queued": counts["queued"],
        "processing": counts["processing"],
        "oldest_queued_at": oldest_at,
        "oldest_queued_age_s": None if oldest_at is None else round((now - oldest_at).total_seconds(), 1),
    }


# --- ingredients --------------------------------------------------------------------------------
def scans_per_day(days: int = 30) -> list[dict]:
    span = window(days)
    scan = model("ingredients.Scan")
    if scan is None:
        return []
    counts = _per_day(scan.objects.all(), "created_at", span, photo=Q(source="photo"), text=Q(source="text"))
    return [
        {
            "day": day,
            "scans": counts.get(day, {}).get("n", 0),
            "photo": counts.get(day, {}).get("photo", 0),
            "text": counts.get(day, {}).get("text", 0),
        }
        for day in span
    ]


# --- routines -----------------------------------------------------------------------------------
def routine_adherence(days: int = 30) -> list[dict]:
    """Per day: steps due (steps of active routines started by that day that run on that weekday), steps
    completed that day, adherence = completed / due, and how many people completed at least one step.

    Due steps come from the routines active now (a routine switched off earlier is not counted in the past).
    """
    span = window(days)
    routine_model, step_model, completion = (
        model("routines.Routine"),
        model("routines.RoutineStep"),
        model("routines.StepCompletion"),
    )
    if routine_model is None or step_model is None or completion is None:
        return []
    first = span[0]
    due_steps = step_model.objects.filter(routine__is_active=True).values_list(
        "days", "schedule", "routine__started_at", "routine__created_at"
    )
    # (plan start, weekdays per plan week): a step's schedule (retinoid ramp-up, a new active from week 3)
    by_start: list[tuple[datetime.date, Callable[[int], tuple[int, ...]]]] = []
    for step_days, schedule, started_at, created_at in due_steps.order_by()[:MAX_ROWS].iterator():
        start = (started_at or created_at).astimezone(datetime.UTC).date()
        by_start.append((start, functools.partial(routine_rules.days_in_week, schedule or [], step_days or [])))
    # Completions count for the day they are for (`date`), not for when they were ticked.
    done_by_date, people_by_date = {}, {}
    for row in (
        completion.objects.filter(date__gte=first, date__lte=span[-1])
        .values("date")
        .annotate(n=Count("pk"), people=Count("user", distinct=True))
        .order_by()
    ):
        done_by_date[_as_date(row["date"])] = row["n"]
        people_by_date[_as_date(row["date"])] = row["people"]
    out = []
    for day in span:
        weekday = day.weekday()
        due = sum(
            1 for start, days_of in by_start if start <= day and weekday in days_of(routine_rules.plan_week(start, day))
        )
        completed = done_by_date.get(day, 0)
        out.append(
            {
                "day": day,
                "steps_due": due,
                "steps_completed": completed,
                "adherence": _ratio(min(completed, due), due),
                "people_completing": people_by_date.get(day, 0),
            }
        )
    return out


def reminders_per_day(days: int = 30) -> list[dict]:
    """Per day (by send time): reminders sent, and deliveries per channel (in-app, email, SMS) that went out."""
    span = window(days)
    delivery = model("routines.ReminderDelivery")
    if delivery is None:
        return []
    sent = _per_day(delivery.objects.filter(status="sent", sent_at__isnull=False), "sent_at", span)
    channel_model = model("routines.ChannelDelivery")
    channels: dict[datetime.date, dict] = {}
    if channel_model is not None:
        channels = _per_day(
            channel_model.objects.filter(status="sent"),
            "created_at",
            span,
            inapp=Q(channel="inapp"),
            email=Q(channel="email"),
            sms=Q(channel="sms"),
        )
    return [
        {
            "day": day,
            "reminders_sent": sent.get(day, {}).get("n", 0),
            "inapp": channels.get(day, {}).get("inapp", 0),
            "email": channels.get(day, {}).get("email", 0),
            "sms": channels.get(day, {}).get("sms", 0),
        }
        for day in span
    ]


# --- ML monitoring ------------------------------------------------------------------------------
@dataclass
class Histogram:
    edges: list[float]  # len(counts) + 1
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)

    def rows(self) -> list[dict]:
        return [
            {"from": self.edges[i], "to": self.edges[i + 1], "count": self.counts[i]} for i in range(len(self.counts))
        ]


def histogram(values: Iterable[float], *, low: float, high: float, bins: int = HISTOGRAM_BINS) -> Histogram:
    """Equal-width bins over [low, high]; the last bin includes `high`; values outside are clamped. The bin is
    floor((value - low) / width) in IEEE doubles, exactly as `_sql_bin` computes it in PostgreSQL."""
    width = (high - low) / bins
    counts = [0] * bins
    for value in values:
        if value is None:
            continue
        index = math.floor((float(value) - low) / width)
        counts[min(max(index, 0), bins - 1)] += 1
    return _histogram_from(counts, low=low, high=high, bins=bins)


def _histogram_from(counts: list[int], *, low: float, high: float, bins: int = HISTOGRAM_BINS) -> Histogram:
    width = (high - low) / bins
    return Histogram(edges=[round(low + i * width, 6) for i in range(bins + 1)], counts=counts)


def _sql_bin(expression: str, *, low: float, high: float, bins: int = HISTOGRAM_BINS) -> str:
    width = (high - low) / bins
    return f"LEAST(GREATEST(FLOOR(({expression} - {low!r}::float8) / {width!r}::float8)::int, 0), {bins - 1})"


# One row per concern of an analysis, from a CTE `r` with a `concerns` column (a JSON list of {key, score, ...}).
_CONCERN_ITEMS = (
    "r, jsonb_array_elements(CASE WHEN jsonb_typeof(r.concerns) = 'array' THEN r.concerns ELSE '[]'::jsonb END) e"
)


def _concern_items(items) -> list[dict]:
    """The stored concerns list's items (anything else, e.g. a hand-edited value, counts as none)."""
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _sql_rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def served_queryset(version_id):
    """Analyses a model version produced (version_id None: those of the measured engine alone, no model)."""
    analysis = apps.get_model("analysis.SkinAnalysis")
    if version_id is None:
        return analysis.objects.filter(model_version__isnull=True)
    return analysis.objects.filter(model_version_id=version_id)


def model_versions_overview() -> list[dict]:
    """One row per model version (and one for "no model"): analyses served, done, failed, feedback count."""
    version_model = model("analysis.ModelVersion")
    analysis = model("analysis.SkinAnalysis")
    if version_model is None or analysis is None:
        return []
    stats = {
        row["model_version"]: row
        for row in analysis.objects.values("model_version")
        .annotate(
            served=Count("pk"),
            done=Count("pk", filter=Q(status="done")),
            failed=Count("pk", filter=Q(status="failed")),
            feedback=Count("feedback"),
        )
        .order_by()
    }
    rows = []
    for version in version_model.objects.order_by("-created_at"):
        row = stats.get(version.pk, {})
        rows.append(
            {
                "id": version.pk,
                "name": version.name,
                "is_active": version.is_active,
                "created_at": version.created_at,
                "activated_at": version.activated_at,
                "served": row.get("served", 0),
                "done": row.get("done", 0),
                "failed": row.get("failed", 0),
                "feedback": row.get("feedback", 0),
            }
        )
    none = stats.get(None, {})
    rows.append(
        {
            "id": None,
            "name": "measured engine (no model)",
            "is_active": not any(r["is_active"] for r in rows),
            "created_at": None,
            "activated_at": None,
            "served": none.get("served", 0),
            "done": none.get("done", 0),
            "failed": none.get("failed", 0),
            "feedback": none.get("feedback", 0),
        }
    )
    return rows


def _done_rows(version_id, *fields: str, limit: int = MAX_ROWS):
    return served_queryset(version_id).filter(status="done").order_by("-created_at").values_list(*fields)[:limit]


def score_distributions(version_id) -> dict:
    """Histograms of the overall score (0-100), each concern's score (0-100), the skin-type confidence (0-1)
    and the concern confidences (0-1), over the version's finished analyses (the latest MAX_ROWS). PostgreSQL
    bins them where the rows are (the JSON never leaves the database); elsewhere Python reads the rows."""
    if _is_postgres():
        return _score_distributions_sql(version_id)
    overall, type_conf, concern_conf = [], [], []
    concerns: dict[str, list[float]] = defaultdict(list)
    n = 0
    rows = _done_rows(version_id, "overall_score", "skin_type_confidence", "concerns")
    for score, confidence, items in rows.iterator():
        n += 1
        overall.append(score)
        type_conf.append(confidence)
        for item in _concern_items(items):
            if item.get("score") is not None:
                concerns[item["key"]].append(item["score"])
            if item.get("confidence") is not None:
                concern_conf.append(item["confidence"])
    return {
        "analyses": n,
        "overall_score": histogram(overall, low=0, high=100),
        "skin_type_confidence": histogram(type_conf, low=0, high=1),
        "concern_confidence": histogram(concern_conf, low=0, high=1),
        "concerns": {key: histogram(values, low=0, high=100) for key, values in sorted(concerns.items())},
    }


def _score_distributions_sql(version_id) -> dict:
    sql, params = _done_rows(version_id, "overall_score", "skin_type_confidence", "concerns").query.sql_with_params()
    rows = _sql_rows(
        f"""WITH r AS MATERIALIZED ({sql}),
        items AS MATERIALIZED (
            SELECT e->>'key' AS key, (e->>'score')::float8 AS score, (e->>'confidence')::float8 AS confidence
            FROM {_CONCERN_ITEMS}
        )
        SELECT 'n', NULL, 0, count(*) FROM r
        UNION ALL SELECT 'overall', NULL, {_sql_bin("overall_score::float8", low=0, high=100)}, count(*)
            FROM r WHERE overall_score IS NOT NULL GROUP BY 3
        UNION ALL SELECT 'type', NULL, {_sql_bin("skin_type_confidence", low=0, high=1)}, count(*)
            FROM r WHERE skin_type_confidence IS NOT NULL GROUP BY 3
        UNION ALL SELECT 'concern', key, {_sql_bin("score", low=0, high=100)}, count(*)
            FROM items WHERE score IS NOT NULL GROUP BY 2, 3
        UNION ALL SELECT 'confidence', NULL, {_sql_bin("confidence", low=0, high=1)}, count(*)
            FROM items WHERE confidence IS NOT NULL GROUP BY 3""",  # noqa: S608 - constants and the ORM's own SQL; values go as params
        params,
    )
    counts: dict[tuple[str, str | None], list[int]] = defaultdict(lambda: [0] * HISTOGRAM_BINS)
    analyses = 0
    for kind, key, index, n in rows:
        if kind == "n":
            analyses = n
        else:
            counts[(kind, key)][index] += n
    return {
        "analyses": analyses,
        "overall_score": _histogram_from(counts[("overall", None)], low=0, high=100),
        "skin_type_confidence": _histogram_from(counts[("type", None)], low=0, high=1),
        "concern_confidence": _histogram_from(counts[("confidence", None)], low=0, high=1),
        "concerns": {
            key: _histogram_from(c, low=0, high=100)
            for (kind, key), c in sorted(counts.items(), key=lambda item: str(item[0][1]))
            if kind == "concern" and key is not None
        },
    }


AGE_TOLERANCE_YEARS = 3


def feedback_agreement(version_id) -> dict:
    """How often people correct the version's skin type or skin age.

    A skin-type correction is a corrected type that differs from the predicted one. An age correction is a
    corrected age more than AGE_TOLERANCE_YEARS away from the predicted age (or any age when none was
    predicted). Rates are over the feedback rows given on the version's analyses.
    """
    feedback_model = model("analysis.Feedback")
    empty = {
        "feedback": 0,
        "skin_type_corrected": 0,
        "skin_type_correction_rate": None,
        "age_given": 0,
        "age_corrected": 0,
        "age_correction_rate": None,
        "age_mae": None,
        "mean_rating": None,
    }
    if feedback_model is None:
        return empty
    qs = feedback_model.objects.filter(
        analysis__model_version__isnull=True if version_id is None else False,
        **({} if version_id is None else {"analysis__model_version_id": version_id}),
    )
    rows = qs.order_by("-created_at").values_list(
        "rating", "corrected_skin_type", "corrected_age", "analysis__skin_type", "analysis__skin_age"
    )[:MAX_ROWS]
    n = type_corrected = age_given = age_corrected = 0
    ratings, errors = [], []
    for rating, corrected_type, corrected_age, predicted_type, predicted_age in rows.iterator():
        n += 1
        ratings.append(rating)
        if corrected_type and corrected_type != predicted_type:
            type_corrected += 1
        if corrected_age is not None:
            age_given += 1
            if predicted_age is None:
                age_corrected += 1
            else:
                errors.append(abs(corrected_age - predicted_age))
                if abs(corrected_age - predicted_age) > AGE_TOLERANCE_YEARS:
                    age_corrected += 1
    if not n:
        return empty
    return {
        "feedback": n,
        "skin_type_corrected": type_corrected,
        "skin_type_correction_rate": _ratio(type_corrected, n),
        "age_given": age_given,
        "age_corrected": age_corrected,
        "age_correction_rate": _ratio(age_corrected, age_given),
        "age_mae": _round(sum(errors) / len(errors), 2) if errors else None,
        "mean_rating": _round(sum(ratings) / len(ratings), 2),
    }


def week_start(value: datetime.datetime) -> datetime.date:
    day = value.astimezone(datetime.UTC).date()
    return day - datetime.timedelta(days=day.weekday())


def concern_drift(version_id, *, weeks: int = 26, baseline_weeks: int = 4) -> dict:
    """Weekly mean score per concern over the version's finished analyses, against a baseline: the mean over
    the version's first `baseline_weeks` weeks with data. `delta` = week mean - baseline mean."""
    since = timezone.now() - datetime.timedelta(weeks=weeks)
    rows = served_queryset(version_id).filter(status="done")
    first = rows.order_by("created_at").values_list("created_at", flat=True).first()
    if first is None:
        return {"weeks": [], "concerns": [], "baseline": {}, "series": {}}
    baseline_end = week_start(first) + datetime.timedelta(weeks=baseline_weeks)
    baseline_rows = rows.filter(created_at__lt=day_start(baseline_end)).values_list("concerns", flat=True)[:MAX_ROWS]
    recent_rows = rows.filter(created_at__gte=since).order_by("-created_at").values_list("created_at", "concerns")
    if _is_postgres():
        baseline_stats, weekly_stats = _drift_sql(baseline_rows, recent_rows[:MAX_ROWS])
    else:
        baseline_stats, weekly_stats = _drift_python(baseline_rows, recent_rows[:MAX_ROWS])
    baseline = {key: _round(mean, 2) for key, (mean, n) in baseline_stats.items() if n}
    concern_keys = sorted(set(baseline) | {key for week in weekly_stats.values() for key in week})
    series: dict[str, list[dict]] = {}
    for key in concern_keys:
        points = []
        for week in sorted(weekly_stats):
            if key not in weekly_stats[week]:
                continue
            mean, n = weekly_stats[week][key]
            base = baseline.get(key)
            points.append(
                {
                    "week": week,
                    "n": n,
                    "mean": _round(mean, 2),
                    "delta": None if base is None else _round(mean - base, 2),
                }
            )
        series[key] = points
    return {
        "weeks": sorted(weekly_stats),
        "concerns": concern_keys,
        "baseline": baseline,
        "baseline_until": baseline_end,
        "series": series,
    }


# (mean, n) of the concern scores: per concern over the baseline rows, and per Monday-started UTC week and concern
DriftStats = tuple[dict[str, tuple[float, int]], dict[datetime.date, dict[str, tuple[float, int]]]]


def _drift_python(baseline_rows, recent_rows) -> DriftStats:
    baseline: dict[str, list[float]] = defaultdict(list)
    for items in baseline_rows:
        for item in _concern_items(items):
            if item.get("score") is not None:
                baseline[item["key"]].append(item["score"])
    weekly: dict[datetime.date, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for created_at, items in recent_rows.iterator():
        for item in _concern_items(items):
            if item.get("score") is not None:
                weekly[week_start(created_at)][item["key"]].append(item["score"])
    return (
        {key: (sum(v) / len(v), len(v)) for key, v in baseline.items() if v},
        {week: {key: (sum(v) / len(v), len(v)) for key, v in by_key.items()} for week, by_key in weekly.items()},
    )


def _drift_sql(baseline_rows, recent_rows) -> DriftStats:
    """The same means, computed by PostgreSQL over the same rows (Monday-started weeks, in UTC)."""
    score = "(e->>'score')::float8"
    sql, params = baseline_rows.query.sql_with_params()
    baseline = {
        key: (mean, n)
        for key, mean, n in _sql_rows(
            f"""WITH r AS MATERIALIZED ({sql})
            SELECT e->>'key', avg({score}), count(*) FROM {_CONCERN_ITEMS}
            WHERE e->>'score' IS NOT NULL GROUP BY 1""",  # noqa: S608 - constants and the ORM's own SQL; values go as params
            params,
        )
        if key is not None
    }
    sql, params = recent_rows.query.sql_with_params()
    weekly: dict[datetime.date, dict[str, tuple[float, int]]] = defaultdict(dict)
    for week, key, mean, n in _sql_rows(
        f"""WITH r AS MATERIALIZED ({sql})
        SELECT (date_trunc('week', r.created_at AT TIME ZONE 'UTC'))::date, e->>'key', avg({score}), count(*)
        FROM {_CONCERN_ITEMS} WHERE e->>'score' IS NOT NULL GROUP BY 1, 2""",  # noqa: S608 - constants and the ORM's own SQL; values go as params
        params,
    ):
        if key is not None:
            weekly[week][key] = (mean, n)
    return baseline, dict(weekly)
