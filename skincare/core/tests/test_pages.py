"""The staff pages render their numbers, charts and CSV from the same functions; changelists stay bounded."""

import csv
import io

import pytest
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse

from accounts.tests.factories import UserFactory
from skincare.core import analytics

from .factories import analysis, at, concerns, model_version

pytestmark = pytest.mark.django_db


def url_or_skip(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        pytest.skip(f"{name}: that app registers no admin for this model yet")


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


@pytest.fixture
def staff_client(client, superuser):
    client.force_login(superuser)
    return client


def test_analytics_page_has_charts_and_every_section(staff_client):
    user = UserFactory()
    analysis(user, status="done", processing_ms=300, created=at(1))
    analysis(user, status="queued")
    response = staff_client.get(reverse("admin:core-analytics") + "?days=7")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 7
    for key in ("users", "analyses", "scans", "adherence", "reminders"):
        assert f'id="section-{key}"' in html
    assert response.context["queue"]["queued"] == 1
    assert "cdn" not in html.lower()


@pytest.mark.parametrize("section", ["users", "analyses", "scans", "adherence", "reminders"])
def test_csv_export_equals_the_computed_rows(staff_client, section):
    user = UserFactory()
    for ms in (100, 250, 900):
        analysis(user, status="done", processing_ms=ms, created=at(2))
    analysis(user, status="failed", created=at(2))
    response = staff_client.get(reverse("admin:core-analytics-csv", args=[section]) + "?days=7")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    from skincare.core.admin_views import SECTIONS

    _title, func, columns = SECTIONS[section]
    expected = [["" if row[c] is None else str(row[c]) for c in columns] for row in func(7)]
    assert rows[0] == columns
    assert rows[1:] == expected
    assert len(rows) == 8


def test_series_are_cached_until_refresh_but_the_queue_is_live(staff_client):
    url = reverse("admin:core-analytics") + "?days=7"

    def uploads_today(response):
        section = next(s for s in response.context["sections"] if s["key"] == "analyses")
        return section["table"][0][1]

    assert uploads_today(staff_client.get(url)) == 0
    analysis(status="queued")
    cached = staff_client.get(url)
    assert uploads_today(cached) == 0
    assert cached.context["queue"]["queued"] == 1
    assert uploads_today(staff_client.get(url + "&refresh=1")) == 1


def test_queue_csv(staff_client):
    analysis(status="queued")
    rows = read_csv(staff_client.get(reverse("admin:core-analytics-csv", args=["queue"])))
    assert rows[0][:2] == ["queued", "processing"] and rows[1][:2] == ["1", "0"]
    assert staff_client.get(reverse("admin:core-analytics-csv", args=["nope"])).status_code == 404


def test_ml_pages(staff_client):
    version = model_version("v1", is_active=True)
    user = UserFactory()
    for score in (40, 60, 80):
        analysis(user, version=version, overall_score=score, skin_type_confidence=0.6, concerns=concerns(acne=score))
    overview = staff_client.get(reverse("admin:core-ml"))
    assert overview.status_code == 200 and b"v1" in overview.content
    page = staff_client.get(reverse("admin:core-ml-version", args=[version.pk]))
    assert page.status_code == 200
    assert page.context["dist"]["analyses"] == 3
    assert page.content.decode().count("<svg") >= 4
    assert staff_client.get(reverse("admin:core-ml-version", args=["none"])).status_code == 200
    assert staff_client.get(reverse("admin:core-ml-version", args=["not-a-uuid"])).status_code == 404
    rows = read_csv(staff_client.get(reverse("admin:core-ml-version-csv", args=[version.pk, "distributions"])))
    overall = [r for r in rows[1:] if r[0] == "overall_score"]
    assert [int(r[3]) for r in overall] == analytics.score_distributions(version.pk)["overall_score"].counts
    drift = read_csv(staff_client.get(reverse("admin:core-ml-version-csv", args=[version.pk, "drift"])))
    assert drift[0] == ["concern", "week", "n", "mean", "baseline", "delta"] and drift[1][0] == "acne"
    agreement = read_csv(staff_client.get(reverse("admin:core-ml-version-csv", args=[version.pk, "agreement"])))
    assert agreement[1][0] == "0"


# --- changelists stay bounded -------------------------------------------------------------------
def _queries(client, url, django_assert_max_num_queries, limit) -> tuple[int, int]:
    cache.clear()  # both measurements cold: the filters' cached lookups would make the second one cheaper
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.context["cl"].result_count


def test_analyses_changelist_is_bounded_at_1_and_100_rows(staff_client, django_assert_max_num_queries):
    url = url_or_skip("admin:analysis_skinanalysis_changelist")
    versions = [model_version(f"v{i}") for i in range(3)]
    users = [UserFactory() for _ in range(5)]
    analysis(users[0], version=versions[0], overall_score=50)
    one, count = _queries(staff_client, url, django_assert_max_num_queries, 12)
    assert count == 1
    for i in range(99):
        analysis(users[i % 5], version=versions[i % 3], overall_score=50, status="failed", error_code=f"e{i % 4}")
    hundred, count = _queries(staff_client, url, django_assert_max_num_queries, 12)
    assert count == 100
    assert hundred == one  # no query per row


def test_users_changelist_is_bounded_at_1_and_100_rows(staff_client, django_assert_max_num_queries):
    url = url_or_skip("admin:accounts_user_changelist")
    one, count = _queries(staff_client, url, django_assert_max_num_queries, 8)
    assert count == 1  # the staff member
    for _ in range(99):
        UserFactory()
    hundred, count = _queries(staff_client, url, django_assert_max_num_queries, 8)
    assert count == 100
    assert hundred == one


def test_audit_changelist_is_bounded_at_1_and_100_rows(staff_client, django_assert_max_num_queries):
    from skincare.core.models import AuditEntry

    actor = UserFactory()

    def make(n):
        AuditEntry.objects.bulk_create(
            [AuditEntry(action="change", actor=actor, actor_email=actor.email, changes={"a": [1, 2]}) for _ in range(n)]
        )

    url = reverse("admin:core_auditentry_changelist")
    make(1)
    one, _ = _queries(staff_client, url, django_assert_max_num_queries, 9)
    make(99)
    hundred, _ = _queries(staff_client, url, django_assert_max_num_queries, 9)
    assert hundred == one


def test_every_admin_changelist_renders(staff_client):
    """Smoke over every app's admin: each changelist answers 200."""
    from django.contrib import admin

    staff_client.get(reverse("admin:index"))  # builds the admin URLs
    failures = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        response = staff_client.get(reverse("admin:{}_{}_changelist".format(*info)), follow=True)
        if response.status_code != 200:
            failures.append((info, "changelist", response.status_code))
    assert not failures
