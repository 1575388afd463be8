"""Admin changelists at scale (standalone: `python bench/admin_bench.py [--users N] [--analyses N] ...`).

Needs PostgreSQL (the point is the planner at scale): DATABASE_URL when it names one, else the local server at
127.0.0.1:5432. The bench creates its own database (`skincare_bench_admin`, dropped and made anew), fills it with
generated rows (INSERT ... SELECT generate_series, copying one seed row per table), then, in the same run:

The database is dropped at the end.

1. baseline: the admin as it was before the large-table tuning — Django's default paginator and full counts,
   DISTINCT-based filters, icontains search over the big tables' own text and ids, Django's date drill-down — on
   the schema without this change's indexes (list-order indexes, the users' trigram index);
2. tuned: the indexes created again (their build time printed), then the project's admin as registered.

3. the ML monitoring page's score distributions and concern drift, computed by PostgreSQL (the page's path
   there) against the Python path over the same rows.

Each changelist view is called directly (no middleware), rendered, once cold and then `--repeat` times; the
median, the query count and the ratio baseline/tuned are printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from domain.vocabulary import MEASURED_CONCERN_KEYS  # noqa: E402

BENCH_DB = "skincare_bench_admin"


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return urlunparse(urlparse(url)._replace(path="/postgres"))


def bench_database(create: bool) -> str | None:
    """Create the bench database anew (or drop it, create=False); its URL, or None without a server."""
    import psycopg

    url = server_url()
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            if create:
                conn.execute(f"CREATE DATABASE {BENCH_DB}")
    except psycopg.Error as exc:
        print(f"skipped: no PostgreSQL server to bench on ({exc.__class__.__name__}: {exc})")
        return None
    return urlunparse(urlparse(url)._replace(path=f"/{BENCH_DB}"))


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)  # local-memory cache: the bench measures the database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skincare.settings")
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated the bench database in {time.perf_counter() - started:.1f} s")


def replicate(model, n: int, overrides: dict[str, str]) -> None:
    """Insert n copies of the table's first row, with `overrides` {column: SQL expression of g (1..n)}."""
    from django.db import connection

    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields]
    exprs = [overrides.get(c, f's."{c}"').replace("%", "%%") for c in columns]  # %% : a literal modulo
    sql = (
        f'INSERT INTO "{table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)}) '
        f"SELECT {', '.join(exprs)} FROM generate_series(1, %s) g, "
        f'(SELECT * FROM "{table}" LIMIT 1) s, '
        "(SELECT array_agg(id ORDER BY date_joined) ids, count(*) n FROM accounts_user WHERE NOT is_staff) u"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [n])


def fill(args) -> dict:
    from django.db import connection

    from accounts.models import Notification, User
    from analysis.models import SkinAnalysis
    from skincare.core.models import AuditEntry

    started = time.perf_counter()
    staff = User.objects.create_superuser(email="staff@example.com", password="bench-Pass-123")
    seed = User.objects.create_user(email="seed@example.com", password=None, first_name="Seed")
    replicate(
        User,
        args.users - 1,
        {
            "id": "gen_random_uuid()",
            "email": "'person' || g || '@example.com'",
            "first_name": "'Name' || (g % 997)",
            "is_staff": "false",
            "is_superuser": "false",
            "password": "'!'",
            "date_joined": "now() - (g % 700) * interval '1 day'",
        },
    )
    SkinAnalysis.objects.create(
        user=seed,
        status="done",
        image="analyses/seed.jpg",
        skin_type="normal",
        skin_type_confidence=0.7,
        concerns=SEED_CONCERNS,  # as the engine stores them (9 concerns with per-region scores)
    )
    when = "now() - (g % 700) * interval '1 day' - (g % 86400) * interval '1 second'"
    replicate(
        SkinAnalysis,
        args.analyses - 1,
        {
            "id": "gen_random_uuid()",
            "user_id": "u.ids[1 + (g % u.n)]",
            "status": "CASE WHEN g % 20 = 0 THEN 'failed' WHEN g % 97 = 0 THEN 'queued' ELSE 'done' END",
            "error_code": "CASE WHEN g % 20 = 0 THEN (ARRAY['image_blurry','image_too_dark','no_face_found'])"
            "[1 + (g / 20) % 3] ELSE '' END",
            "error_detail": "CASE WHEN g % 20 = 0 THEN 'The photo is too blurry to measure.' ELSE '' END",
            "skin_type": "(ARRAY['normal','dry','oily','combination'])[1 + g % 4]",
            "overall_score": "50 + g % 50",
            "created_at": when,
        },
    )
    Notification.objects.create(user=seed, kind="reminder", title="Time for your morning routine")
    replicate(
        Notification,
        args.notifications - 1,
        {
            "id": "gen_random_uuid()",
            "user_id": "u.ids[1 + (g % u.n)]",
            "kind": "(ARRAY['reminder','milestone','analysis','account.password_changed'])[1 + g % 4]",
            "created_at": when,
        },
    )
    AuditEntry.objects.create(
        actor=staff,
        actor_email=staff.email,
        action="change",
        app_label="accounts",
        model="user",
        object_id=str(seed.pk),
        object_repr=seed.email,
    )
    replicate(
        AuditEntry,
        args.audit - 1,
        {
            "id": "gen_random_uuid()",
            "object_id": "u.ids[1 + (g % u.n)]::text",
            "model": "(ARRAY['user','skinanalysis','sharelink','siteconfig'])[1 + g % 4]",
            "created_at": when,
        },
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"filled {args.users:,} users, {args.analyses:,} analyses, {args.notifications:,} notifications, "
        f"{args.audit:,} audit entries in {time.perf_counter() - started:.1f} s"
    )
    return {"staff": staff, "person": User.objects.filter(is_staff=False).order_by("date_joined")[args.users // 4]}


SEED_CONCERNS = [
    {
        "key": key,
        "score": 40 + 6 * i,
        "severity": "mild",
        "confidence": 0.5 + 0.05 * i,
        "raw": 1.23,
        "unit": "a*",
        "regions": {"forehead": 55, "left_cheek": 61, "right_cheek": 63, "nose": 50, "chin": 58},
        "explanation": "Mean of the measure over the region's skin, lighting-normalised.",
    }
    for i, key in enumerate(MEASURED_CONCERN_KEYS)
]


def measure_ml_page(repeat: int) -> None:
    """The ML monitoring page's two heavy parts for the analyses of the measured engine (no model): computed by
    PostgreSQL (what the page does there) against the Python path over the same rows (what it does on SQLite)."""
    from unittest import mock

    from skincare.core import analytics

    parts = {
        "score distributions": lambda: analytics.score_distributions(None),
        "concern drift": lambda: analytics.concern_drift(None),
    }
    print(f"\nML monitoring page (latest {analytics.MAX_ROWS:,} finished analyses; the page caches 5 minutes)")
    print(f"{'part':<30}{'python ms':>11}{'database ms':>13}{'ratio':>8}")
    for name, compute in parts.items():
        timings = {}
        for path, on_postgres in (("python", False), ("database", True)):
            with mock.patch.object(analytics, "_is_postgres", lambda on_postgres=on_postgres: on_postgres):
                runs = []
                for _ in range(max(1, repeat // 2)):
                    started = time.perf_counter()
                    compute()
                    runs.append((time.perf_counter() - started) * 1000)
            timings[path] = statistics.median(runs)
        p, d = timings["python"], timings["database"]
        print(f"{name:<30}{p:>11.0f}{d:>13.0f}{p / d:>7.1f}x")


# --- the admin before the tuning ---------------------------------------------------------------------------------
def legacy_site():
    """The four admins as they were before (same columns, filters, searches and drill-downs)."""
    from django.contrib import admin
    from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

    from accounts.models import Notification, User
    from analysis.models import SkinAnalysis
    from skincare.core.models import AuditEntry

    class FailedFilter(admin.SimpleListFilter):
        title, parameter_name = "error", "error_code"

        def lookups(self, request, model_admin):
            codes = (
                SkinAnalysis.objects.filter(status="failed")
                .exclude(error_code="")
                .values_list("error_code", flat=True)
                .distinct()
            )
            return [(c, c) for c in sorted(codes)]

        def queryset(self, request, queryset):
            return queryset.filter(error_code=self.value()) if self.value() else queryset

    class Analyses(admin.ModelAdmin):
        list_display = [
            "id",
            "user",
            "status",
            "created_at",
            "overall_score",
            "skin_type",
            "model_version",
            "processing_ms",
            "error_code",
        ]
        list_filter = ["status", "model_version", FailedFilter, "skin_type", "created_at"]
        search_fields = ["id", "user__email", "error_code", "error_detail"]
        list_select_related = ["user", "model_version"]
        date_hierarchy = "created_at"

    class Users(BaseUserAdmin):
        ordering = ["-date_joined"]
        list_display = [
            "email",
            "first_name",
            "last_name",
            "phone",
            "email_verified",
            "is_active",
            "is_staff",
            "date_joined",
        ]
        list_filter = ["is_staff", "is_active", "email_verified", "is_superuser", "date_joined"]
        search_fields = ["email", "first_name", "last_name", "phone"]

    class Notifications(admin.ModelAdmin):
        list_display = ["title", "user", "kind", "created_at", "read_at"]
        list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter), "created_at"]
        search_fields = ["title", "body", "user__email"]
        list_select_related = ["user"]
        date_hierarchy = "created_at"

    class Audit(admin.ModelAdmin):
        list_display = ["created_at", "actor_email", "action", "name", "object_repr"]
        list_filter = ["action", "app_label", "model", ("created_at", admin.DateFieldListFilter)]
        search_fields = ["actor_email", "object_id", "object_repr", "name", "detail"]
        date_hierarchy = "created_at"
        list_per_page = 50
        show_full_result_count = False

    site = admin.AdminSite(name="admin")  # the same URL names, for the links the pages render
    site.register(SkinAnalysis, Analyses)
    site.register(User, Users)
    site.register(Notification, Notifications)
    site.register(AuditEntry, Audit)
    return site


def new_indexes():
    """(model, Index) for each index this change added to the four benched tables."""
    from accounts.models import Notification
    from analysis.models import SkinAnalysis

    wanted = {"notification_created_at_idx", "analysis_status_created_idx", "analysis_error_code_idx"}
    return [(m, i) for m in (Notification, SkinAnalysis) for i in m._meta.indexes if i.name in wanted]


def drop_new_indexes() -> None:
    from django.db import connection

    with connection.schema_editor() as editor:
        for model, index in new_indexes():
            editor.remove_index(model, index)
        editor.execute("DROP INDEX IF EXISTS accounts_user_search_trgm")
        editor.execute('CREATE INDEX legacy_status_idx ON "analysis_skinanalysis" ("status")')  # db_index before


def create_new_indexes() -> float:
    import importlib

    from django.apps import apps as global_apps
    from django.db import connection

    started = time.perf_counter()
    with connection.schema_editor() as editor:
        editor.execute("DROP INDEX IF EXISTS legacy_status_idx")
        for model, index in new_indexes():
            editor.add_index(model, index)
        importlib.import_module("accounts.migrations.0005_user_search_trigram").create_index(global_apps, editor)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


# --- measuring ---------------------------------------------------------------------------------------------------
def scenarios(person, analysis_id) -> list[tuple[str, str, dict]]:
    prefix = person.email.split("@")[0]
    return [
        ("analyses: first page", "analysis.SkinAnalysis", {}),
        ("analyses: failed", "analysis.SkinAnalysis", {"status": "failed"}),
        ("analyses: one year", "analysis.SkinAnalysis", {"created_at__year": str(time.gmtime().tm_year)}),
        ("analyses: search email", "analysis.SkinAnalysis", {"q": person.email}),
        ("analyses: search pasted id", "analysis.SkinAnalysis", {"q": str(analysis_id)}),
        ("users: first page", "accounts.User", {}),
        ("users: search part of email", "accounts.User", {"q": prefix}),
        ("notifications: first page", "accounts.Notification", {}),
        ("notifications: search email", "accounts.Notification", {"q": person.email}),
        ("audit: first page", "core.AuditEntry", {}),
    ]


def call(site, label: str, params: dict, staff) -> tuple[float, int, int]:
    from django.apps import apps
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    request = RequestFactory().get("/admin/x/", params)
    request.user, request.session = staff, SessionStore()
    request._messages = FallbackStorage(request)
    model_admin = site._registry[apps.get_model(label)]
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = model_admin.changelist_view(request)
        response.render()
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, (label, params, response.status_code)
    return elapsed * 1000, len(captured.captured_queries), response.context_data["cl"].result_count


def measure(site, cases, staff, repeat: int) -> dict:
    from django.core.cache import cache

    results = {}
    for name, label, params in cases:
        cache.clear()
        cold, queries, count = call(site, label, params, staff)
        warm = [call(site, label, params, staff)[0] for _ in range(repeat)]
        results[name] = {"cold": cold, "median": statistics.median(warm), "queries": queries, "count": count}
    return results


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=20_000)
    ap.add_argument("--analyses", type=int, default=300_000)
    ap.add_argument("--notifications", type=int, default=600_000)
    ap.add_argument("--audit", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    url = bench_database(create=True)
    if url is None:
        return 0
    try:
        run(args, url)
    finally:
        from django.db import connections

        connections.close_all()
        bench_database(create=False)
    return 0


def run(args, url: str) -> None:
    setup_django(url)
    from django.conf import settings
    from django.contrib import admin
    from django.db import connection

    from analysis.models import SkinAnalysis

    settings.DEBUG = False
    data = fill(args)
    staff, person = data["staff"], data["person"]
    cases = scenarios(person, SkinAnalysis.objects.filter(user=person).values_list("pk", flat=True).first())
    admin.site.get_urls()  # the project's admin, as the first request builds it

    drop_new_indexes()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    before = measure(legacy_site(), cases, staff, args.repeat)
    build = create_new_indexes()
    print(f"built this change's indexes (incl. the users' trigram index) in {build:.1f} s")
    after = measure(admin.site, cases, staff, args.repeat)

    print(
        f"\n{'changelist':<30}{'before ms':>11}{'after ms':>10}{'ratio':>8}{'queries':>10}"
        f"{'cold before':>13}{'cold after':>12}  rows shown as"
    )
    for name, _, _ in cases:
        b, a = before[name], after[name]
        print(
            f"{name:<30}{b['median']:>11.1f}{a['median']:>10.1f}{b['median'] / a['median']:>7.1f}x"
            f"{b['queries']:>5} →{a['queries']:>3}{b['cold']:>13.1f}{a['cold']:>12.1f}  {b['count']:,} → {a['count']:,}"
        )
    total_b = sum(v["median"] for v in before.values())
    total_a = sum(v["median"] for v in after.values())
    print(f"{'all ten, summed':<30}{total_b:>11.1f}{total_a:>10.1f}{total_b / total_a:>7.1f}x")
    measure_ml_page(args.repeat)


if __name__ == "__main__":
    sys.exit(main())
