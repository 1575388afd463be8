"""Self-logged metrics: a named value with notes, read back as series (API), beside the measured scores in the stats,
the timeline and the dashboard page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from progress import selectors, services
from progress.models import ProgressMetric
from skincare.core.errors import DomainError

from .factories import ProgressEntryFactory, make_analysis

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("skin_clarity", "skin_clarity"),
        ("Skin clarity", "skin_clarity"),
        ("skinClarity", "skin_clarity"),
        ("hours-of-sleep", "hours_of_sleep"),
        ("  water / day ", "water_day"),
    ],
)
def test_metric_names_are_normalised(raw, name):
    assert services.metric_name_normalise(raw) == name


@pytest.mark.parametrize("raw", ["", "   ", "7up", "x" * 51, "émotion"])
def test_unusable_names_are_refused(raw):
    with pytest.raises(DomainError) as exc:
        services.metric_name_normalise(raw)
    assert exc.value.code == "invalid_metric"


def test_record_and_read_back_as_series(user, other_user):
    today = selectors.user_today(user)
    services.metric_record(user=user, name="skin clarity", value=5, notes="tired", date=today - timedelta(days=3))
    services.metric_record(user=user, name="skin_clarity", value=7.5, date=today)
    services.metric_record(user=user, name="hydration", value=3)
    services.metric_record(user=other_user, name="skin_clarity", value=1)
    series = selectors.metric_series(user=user)
    assert [s["metric"] for s in series] == ["hydration", "skin_clarity"]
    clarity = series[1]
    assert [p["value"] for p in clarity["points"]] == [5, 7.5] and clarity["points"][0]["notes"] == "tired"
    assert (clarity["count"], clarity["latest"], clarity["average"], clarity["min"], clarity["max"]) == (
        2,
        7.5,
        6.25,
        5,
        7.5,
    )
    assert selectors.metric_series(user=user, name="hydration")[0]["count"] == 1
    assert selectors.metric_series(user=user, since=today - timedelta(days=1))[1]["count"] == 1


@pytest.mark.parametrize(
    ("value", "code"), [("lots", "invalid_value"), (float("nan"), "invalid_value"), (1e12, "invalid_value")]
)
def test_bad_values_are_refused(user, value, code):
    with pytest.raises(DomainError) as exc:
        services.metric_record(user=user, name="x", value=value)
    assert exc.value.code == code


def test_no_future_dates(user):
    with pytest.raises(DomainError) as exc:
        services.metric_record(user=user, name="x", value=1, date=selectors.user_today(user) + timedelta(days=1))
    assert exc.value.code == "date_in_future"


# --- API ---------------------------------------------------------------------------------------------------
def test_api_logs_and_reads_metrics(auth_client, api_client):
    assert api_client.get("/api/v1/progress/metrics").status_code == 401
    assert api_client.post("/api/v1/progress/metrics", {}, format="json").status_code == 401
    r = auth_client.post(
        "/api/v1/progress/metrics", {"metric": "Skin clarity", "value": 6, "notes": "ok"}, format="json"
    )
    assert r.status_code == 201, r.content
    assert r.json()["metric"] == "skin_clarity" and r.json()["value"] == 6
    body = auth_client.get("/api/v1/progress/metrics?days=30").json()
    assert body["period"]["days"] == 30 and body["metrics"][0]["points"][0]["notes"] == "ok"
    assert auth_client.get("/api/v1/progress/metrics?metric=Skin%20clarity").json()["metrics"][0]["count"] == 1
    bad = auth_client.post("/api/v1/progress/metrics", {"metric": "7", "value": 1}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_metric"
    bad = auth_client.post("/api/v1/progress/metrics", {"value": 1}, format="json")
    assert bad.status_code == 400 and "metric" in bad.json()["errors"]
    assert auth_client.get("/api/v1/progress/metrics?days=0").status_code == 400


def test_metrics_read_in_one_query(auth_client, user, django_assert_max_num_queries):
    services.metric_record(user=user, name="a", value=1)
    with django_assert_max_num_queries(3):
        assert auth_client.get("/api/v1/progress/metrics").status_code == 200
    for i in range(19):
        services.metric_record(user=user, name=f"m{i % 4}", value=i)
    with django_assert_max_num_queries(3):
        body = auth_client.get("/api/v1/progress/metrics").json()
    assert sum(s["count"] for s in body["metrics"]) == 20


def test_stats_and_timeline_show_metrics_beside_the_scores(auth_client, user, django_assert_max_num_queries):
    today = selectors.user_today(user)
    make_analysis(user)
    ProgressEntryFactory(user=user, date=today, rating=4)
    services.metric_record(user=user, name="skin_clarity", value=8, notes="calm")
    stats = auth_client.get("/api/v1/progress/stats").json()
    assert stats["metrics"][0]["metric"] == "skin_clarity" and stats["overall"]["points"] >= 1
    timeline = auth_client.get("/api/v1/progress/timeline").json()["results"]
    assert timeline[0]["metrics"] == [{"metric": "skin_clarity", "value": 8.0, "notes": "calm"}]
    assert timeline[0]["scores"] is not None


def test_dashboard_page_draws_and_logs_metrics(client, user):
    client.force_login(user)
    services.metric_record(user=user, name="skin_clarity", value=6, date=selectors.user_today(user) - timedelta(days=2))
    ProgressEntryFactory(user=user, date=selectors.user_today(user), rating=3)
    response = client.post(reverse("progress:log-metric"), {"metric": "Skin clarity", "value": "8", "notes": ""})
    assert response.status_code == 302
    assert ProgressMetric.objects.filter(user=user).count() == 2
    page = client.get(reverse("progress:dashboard")).content.decode()
    assert 'data-testid="metric-skin_clarity"' in page and "over time (your own log)" in page
    assert 'data-testid="day-metric"' in page  # today's entry shows today's value beside its score
    bad = client.post(reverse("progress:log-metric"), {"metric": "7", "value": "1"}, follow=True)
    assert "letters, digits and underscores" in bad.content.decode()
