"""Changelists tuned for large tables: no SELECT DISTINCT over a table (filters, date drill-down), the list's order
served by an index, a planner estimate instead of COUNT(*) on huge unfiltered lists, and searches that hit
indexes (a pasted id, the owner's email through a trigram index)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Notification
from accounts.tests.factories import UserFactory
from analysis.models import SkinAnalysis
from skincare.core.admin_scale import LargeTableAdmin, table_row_estimate
from skincare.core.models import AuditEntry

from .factories import analysis, set_field

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL planner behaviour")


def _admin_models():
    admin.site.get_urls()  # installs the audit mixin and staff pages, as the first request does
    return [(model, ma) for model, ma in admin.site._registry.items() if model._meta.app_label != "django_celery_beat"]


LARGE = [m._meta.label for m, ma in _admin_models() if isinstance(ma, LargeTableAdmin)]


def _changelist(client, model, params=None):
    cache.clear()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, (model, response.status_code)
    return response, [q["sql"] for q in captured.captured_queries]


def _some_rows():
    """A few rows in the big tables, over two years, so that filters and date drill-downs have work to do."""
    from routines.tests.factories import RoutineFactory

    users = [UserFactory() for _ in range(3)]
    for i, user in enumerate(users):
        row = analysis(user, status="failed" if i else "done", error_code="image_blurry" if i else "")
        set_field(row, created_at=dt.datetime(2025 + i % 2, 3 + i, 10, 12, tzinfo=dt.UTC))
        note = Notification.objects.create(user=user, kind=f"kind{i}", title="t")
        set_field(note, created_at=dt.datetime(2025 + i % 2, 5, 1, tzinfo=dt.UTC))
        RoutineFactory(user=user)
    AuditEntry.objects.create(action="change", app_label="accounts", model="user", object_id=str(users[0].pk))
    return users


def test_every_large_table_admin_is_tuned():
    assert {"analysis.SkinAnalysis", "accounts.User", "accounts.Notification", "core.AuditEntry"} <= set(LARGE)
    for model, ma in _admin_models():
        if isinstance(ma, LargeTableAdmin):
            assert ma.show_full_result_count is False, model


@pytest.mark.parametrize("label", LARGE)
def test_large_changelists_run_no_select_distinct(superuser, client, label):
    # Given rows in the big tables, over two years
    from django.apps import apps

    _some_rows()
    client.force_login(superuser)
    # When staff open the list
    _, queries = _changelist(client, apps.get_model(label))
    # Then no query reads a whole table to find distinct values (filters or date drill-down)
    assert not [q for q in queries if "DISTINCT" in q.upper()], label


def test_date_drilldown_offers_the_range_from_its_ends(superuser, client):
    _some_rows()  # analyses in March 2025, April 2026, May 2025
    client.force_login(superuser)
    html = _changelist(client, SkinAnalysis)[0].content.decode()
    assert re.findall(r"created_at__year=(\d{4})", html) == ["2025", "2026"]
    html = _changelist(client, SkinAnalysis, {"created_at__year": "2025"})[0].content.decode()
    months = sorted(set(re.findall(r"created_at__month=(\d+)", html)), key=int)
    assert months == ["3", "4", "5"]  # every month between the first and the last analysis of 2025
    response, queries = _changelist(client, SkinAnalysis, {"created_at__year": "2025", "created_at__month": "3"})
    days = set(re.findall(r"created_at__day=(\d+)", response.content.decode()))
    assert days == {"10"}
    assert not [q for q in queries if "DISTINCT" in q.upper()]


def test_date_drilldown_on_a_date_field(superuser, client):
    from progress.models import ProgressEntry

    user = UserFactory()
    for day in (dt.date(2026, 2, 25), dt.date(2026, 2, 27), dt.date(2026, 3, 2)):
        ProgressEntry.objects.create(user=user, date=day, rating=3)
    client.force_login(superuser)
    response, queries = _changelist(client, ProgressEntry)  # one year: months offered at once
    assert sorted(set(re.findall(r"date__month=(\d+)", response.content.decode())), key=int) == ["2", "3"]
    response, _ = _changelist(client, ProgressEntry, {"date__year": "2026", "date__month": "2"})
    # every day between the month's first and last entry (the 26th, without one, too)
    assert set(re.findall(r"date__day=(\d+)", response.content.decode())) == {"25", "26", "27"}
    assert not [q for q in queries if "DISTINCT" in q.upper()]


def test_filters_list_recent_values_and_keep_the_selected_one(superuser, client):
    _some_rows()
    client.force_login(superuser)
    html = _changelist(client, SkinAnalysis)[0].content.decode()
    assert "error_code=image_blurry" in html
    # A value no recent row holds can still be chosen from the URL, and it stays in the list
    response, _ = _changelist(client, SkinAnalysis, {"error_code": "image_too_dark"})
    assert "error_code=image_too_dark" in response.content.decode()
    assert response.context["cl"].result_count == 0
    response, _ = _changelist(client, SkinAnalysis, {"error_code": "image_blurry"})
    assert response.context["cl"].result_count == 2


def test_audit_object_type_filter(superuser, client):
    users = _some_rows()
    AuditEntry.objects.create(action="change", app_label="analysis", model="skinanalysis", object_id="x")
    client.force_login(superuser)
    response, _ = _changelist(client, AuditEntry, {"object_type": "accounts.user"})
    assert [e.object_id for e in response.context["cl"].result_list] == [str(users[0].pk)]
    assert "object_type=analysis.skinanalysis" in response.content.decode()


def test_a_pasted_id_finds_the_row_or_the_owner_s_rows(superuser, client):
    users = _some_rows()
    mine = SkinAnalysis.objects.filter(user=users[1]).get()
    client.force_login(superuser)
    for term, expected in (
        (str(mine.pk), [mine.pk]),
        (f" {mine.pk} ", [mine.pk]),
        (str(users[1].pk), [mine.pk]),
        (users[1].email, [mine.pk]),
        ("image_blurry", sorted(SkinAnalysis.objects.filter(status="failed").values_list("pk", flat=True))),
        ("00000000-0000-0000-0000-000000000000", []),
        ("not an id %' or 1=1", []),
    ):
        response, _ = _changelist(client, SkinAnalysis, {"q": term})
        assert sorted(a.pk for a in response.context["cl"].result_list) == sorted(expected), term


def test_counts_are_exact_below_the_threshold(superuser, client):
    _some_rows()
    client.force_login(superuser)
    response, _ = _changelist(client, Notification)
    cl = response.context["cl"]
    assert cl.paginator.estimated is False and cl.result_count == 3


@postgres_only
def test_a_huge_unfiltered_list_uses_the_planner_estimate(superuser, client, settings):
    # Given a notifications table the planner has counted, and a threshold below its size
    _some_rows()
    Notification.objects.bulk_create([Notification(user=superuser, kind="bulk", title=f"n{i}") for i in range(297)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_notification")
    estimate = table_row_estimate(Notification)
    assert estimate == 300
    settings.ADMIN_ESTIMATED_COUNT_ABOVE = 100
    client.force_login(superuser)
    # When staff open the whole list
    response, queries = _changelist(client, Notification)
    # Then the count is the estimate, said to be one, and no COUNT(*) read the table
    cl = response.context["cl"]
    assert cl.paginator.estimated is True and cl.result_count == estimate
    assert f"About {estimate} rows: the database's estimate" in response.content.decode()
    assert not [q for q in queries if "COUNT(" in q.upper() and "accounts_notification" in q]
    # A filtered list is counted exactly
    response, _ = _changelist(client, Notification, {"kind": "bulk"})
    assert response.context["cl"].paginator.estimated is False
    assert response.context["cl"].result_count == 297


def _plan(qs, *, conditions_only: bool = False) -> str:
    """The plan with table scans ruled out (a missing index then shows as a Seq Scan); with `conditions_only`, full
    scans of a b-tree too, so an index appears only where it can serve the query's conditions."""
    switches = ["enable_seqscan"] + (["enable_indexscan", "enable_indexonlyscan"] if conditions_only else [])
    with connection.cursor() as cursor:
        for name in switches:
            cursor.execute(f"SET LOCAL {name} = off")
    try:
        return qs.explain()
    finally:
        with connection.cursor() as cursor:
            for name in switches:
                cursor.execute(f"SET LOCAL {name} = on")


@postgres_only
@pytest.mark.parametrize("label", LARGE)
def test_each_large_list_page_is_read_along_an_index(superuser, label):
    # Given the admin's own changelist for this model, unfiltered (the page staff open first)
    from django.apps import apps

    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = superuser
    cl = model_admin.get_changelist_instance(request)
    # Then reading one page in the list's order scans no table (an index gives the order)
    plan = _plan(cl.queryset[: cl.list_per_page])
    assert "Seq Scan" not in plan, plan


@postgres_only
def test_user_and_email_searches_use_the_trigram_index(superuser):
    # Given the users admin's search and the analyses admin's search by email
    request = RequestFactory().get("/")
    request.user = superuser
    from accounts.models import User

    user_admin = admin.site._registry[User]
    users, _ = user_admin.get_search_results(request, User.objects.all(), "someone@exam")
    assert "accounts_user_search_trgm" in _plan(users.order_by(), conditions_only=True)
    analysis_admin = admin.site._registry[SkinAnalysis]
    analyses, _ = analysis_admin.get_search_results(request, SkinAnalysis.objects.all(), "someone@exam")
    plan = _plan(analyses.order_by(), conditions_only=True)
    assert "accounts_user_search_trgm" in plan and "Seq Scan" not in plan, plan


@pytest.mark.parametrize(
    ("label", "params"),
    [
        ("analysis.Feedback", {"rating": "abc"}),
        ("progress.ProgressEntry", {"rating": "9x"}),
        ("analysis.SkinAnalysis", {"created_at__year": "20x6"}),
        ("analysis.SkinAnalysis", {"q": "'\""}),
    ],
)
def test_bad_filter_values_are_not_server_errors(superuser, client, label, params):
    from django.apps import apps

    client.force_login(superuser)
    model = apps.get_model(label)
    response = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"), params)
    assert response.status_code in (200, 302)
