"""Changelists that stay fast on tables with millions of rows.

- `LargeTableAdmin`: no second COUNT(*) of the whole table (`show_full_result_count = False`), a paginator that
  takes PostgreSQL's row estimate instead of counting an unfiltered table above ADMIN_ESTIMATED_COUNT_ABOVE rows
  (the page then says "about"), and a search that answers a pasted id (a UUID) with an index lookup on the
  primary key and the owner's id instead of a text scan.
  Its date drill-down (`date_hierarchy`) reads only the first and last date (skincare/core/templatetags).
- `values_filter` / `recent_values_filter`: list filters that never run SELECT DISTINCT over a whole table (what
  Django's default filter does for a field without choices): a closed set of values is listed as it is; an open
  set lists the values seen in the newest rows (a bounded read along an index), cached for a few minutes.

Searches on the tables that grow every day hit indexes: a pasted id, an exact key, token or code
(`search_exact_fields`, a b-tree), else the owner's email (`search_fields`; a trigram index on PostgreSQL, see
accounts' migrations), never free text of the big table itself.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from functools import cached_property, reduce
from operator import or_

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models import Q, QuerySet

RECENT_SAMPLE = 5000
RECENT_CACHE_SECONDS = 300


def table_row_estimate(model: type[models.Model], using: str = "default") -> int | None:
    """PostgreSQL's planner estimate of the table's rows (kept by autovacuum / ANALYZE); None elsewhere, or when the
    table was never analysed."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] is not None and row[0] >= 0 else None


class EstimatedCountPaginator(Paginator):
    """Exact counts, except for an unfiltered list on PostgreSQL whose table holds more than
    ADMIN_ESTIMATED_COUNT_ABOVE rows by the planner's estimate: COUNT(*) would read the whole table on every page."""

    estimated = False

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if isinstance(qs, QuerySet) and not qs.query.where:
            threshold = settings.ADMIN_ESTIMATED_COUNT_ABOVE
            estimate = table_row_estimate(qs.model, qs.db)
            if estimate is not None and estimate > threshold:
                self.estimated = True
                return estimate
        return super().count


def _uuid_fields(model: type[models.Model]) -> list[str]:
    """The primary key and the owner (a `user` foreign key) when they are UUIDs: what staff paste into search."""
    names = []
    if isinstance(model._meta.pk, models.UUIDField):
        names.append("pk")
    try:
        user = model._meta.get_field("user")
    except FieldDoesNotExist:
        return names
    if isinstance(user, models.ForeignKey) and isinstance(user.target_field, models.UUIDField):
        names.append("user_id")
    return names


class LargeTableAdmin(admin.ModelAdmin):
    """For tables that grow with users × time. See the module's docstring."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator
    change_list_template = "admin/large_change_list.html"  # a date drill-down without SELECT DISTINCT
    search_uuid_fields: Iterable[str] | None = None  # None: the primary key and the owner's id, when UUIDs
    search_exact_fields: Iterable[str] = ()  # indexed keys, tokens, codes: an exact match wins over the text search
    search_help_text = "Search by email, or paste an id."

    def get_search_results(self, request, queryset, search_term):
        """A pasted UUID: the row or the owner's rows. Else an exact key/token/code match, one indexed lookup per
        field. Else Django's search over `search_fields`, which on these tables name one indexed path (the owner's
        email): an OR across two tables' columns would make the database read the whole big table."""
        term = search_term.strip().strip("\"'")
        fields = list(self.search_uuid_fields if self.search_uuid_fields is not None else _uuid_fields(self.model))
        if fields and term:
            try:
                value = uuid.UUID(term)
            except ValueError:
                pass
            else:
                return queryset.filter(reduce(or_, (Q(**{name: value}) for name in fields))), False
        for name in self.search_exact_fields if term else ():
            exact = queryset.filter(**{name: term})
            if exact.exists():
                return exact, False
        return super().get_search_results(request, queryset, search_term)


def values_filter(field: str, values: Iterable, *, title: str | None = None) -> type[admin.SimpleListFilter]:
    """A list filter over a closed set of values (pairs (value, label), or plain values), with no query."""
    choices = [(str(v[0]), str(v[1])) if isinstance(v, list | tuple) else (str(v), str(v)) for v in values]

    class ValuesFilter(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request, model_admin):
            return choices

        def queryset(self, request, queryset):
            if not self.value():
                return queryset
            if self.value() not in {value for value, _ in choices}:
                raise IncorrectLookupParameters(f"{field}: unknown value")  # the admin shows the list with ?e=1
            return queryset.filter(**{field: self.value()})

    ValuesFilter.title = title or field.replace("_", " ")
    ValuesFilter.__name__ = f"{field.title().replace('_', '')}ValuesFilter"
    return ValuesFilter


def recent_values_filter(
    field: str,
    *,
    order_by: str = "-created_at",
    where: dict | None = None,
    title: str | None = None,
    sample: int = RECENT_SAMPLE,
) -> type[admin.SimpleListFilter]:
    """A list filter over an open set of values: those in the newest `sample` rows (ordered by an indexed
    column), plus the one selected now. Older values still work from the URL (?field=value)."""

    class RecentValuesFilter(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request, model_admin):
            model = model_admin.model
            condition = hashlib.sha256(repr(sorted((where or {}).items())).encode()).hexdigest()[:16]
            key = f"admin:recent-values:{model._meta.label_lower}:{field}:{condition}"
            values = cache.get(key)
            if values is None:
                rows = model._default_manager.filter(**(where or {})).order_by(order_by)
                values = sorted(
                    {v for v in rows.values_list(field, flat=True)[:sample] if v not in ("", None)}, key=str
                )
                cache.set(key, values, RECENT_CACHE_SECONDS)
            if self.value() and self.value() not in {str(v) for v in values}:
                values = [*values, self.value()]
            return [(str(v), str(v)) for v in values]

        def queryset(self, request, queryset):
            if not self.value():
                return queryset
            try:
                return queryset.filter(**{field: self.value()})
            except (ValueError, ValidationError) as exc:
                raise IncorrectLookupParameters(exc) from exc

    RecentValuesFilter.title = title or field.replace("_", " ")
    RecentValuesFilter.__name__ = f"{field.title().replace('_', '')}RecentValuesFilter"
    return RecentValuesFilter
