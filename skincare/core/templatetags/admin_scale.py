"""`{% bounded_date_hierarchy cl %}`: Django's date drill-down without a scan of the whole table.

Django's own tag lists the years (or months, or days) that hold rows with SELECT DISTINCT over every row of the
list, at each page load: seconds on a table of millions. This one asks only for the first and last date of the
list (two reads at the ends of an index) and offers every year, month or day between them; one that holds no row
opens an empty list. It renders Django's own template, so the page looks the same.
"""

from __future__ import annotations

import calendar
import datetime

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.utils import get_fields_from_path
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()


def _bounds(cl, field_name: str, is_datetime: bool):
    bounds = cl.queryset.aggregate(first=models.Min(field_name), last=models.Max(field_name))
    first, last = bounds["first"], bounds["last"]
    if first is None or last is None:
        return None, None
    if is_datetime:
        first, last = (timezone.localtime(v) if timezone.is_aware(v) else v for v in (first, last))
    return first, last


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, (year, month) = [], (first.year, first.month)
    while (year, month) <= (last.year, last.month):
        months.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@register.inclusion_tag("admin/date_hierarchy.html")
def bounded_date_hierarchy(cl):
    field_name = cl.date_hierarchy
    field = get_fields_from_path(cl.model, field_name)[-1]
    is_datetime = isinstance(field, models.DateTimeField)
    year_field, month_field, day_field = (f"{field_name}__{part}" for part in ("year", "month", "day"))
    year, month, day = (cl.params.get(name) for name in (year_field, month_field, day_field))
    if day:
        return date_hierarchy(cl)  # a single day: Django's tag runs no query at that level

    def link(filters):
        return cl.get_query_string(filters, [f"{field_name}__"])

    first, last = _bounds(cl, field_name, is_datetime)
    if first is None:
        return {"show": False}
    if not (year or month):
        if first.year == last.year:  # as Django does: start at the level where the list spreads
            year = first.year
            if first.month == last.month:
                month = first.month
    if year and month:
        year, month = int(year), int(month)
        start = first.day if (first.year, first.month) == (year, month) else 1
        end = last.day if (last.year, last.month) == (year, month) else calendar.monthrange(year, month)[1]
        days = [datetime.date(year, month, d) for d in range(start, end + 1)]
        return {
            "show": True,
            "back": {"link": link({year_field: year}), "title": str(year)},
            "choices": [
                {
                    "link": link({year_field: year, month_field: month, day_field: d.day}),
                    "title": capfirst(formats.date_format(d, "MONTH_DAY_FORMAT")),
                }
                for d in days
            ],
        }
    if year:
        year = int(year)
        months = [m for m in _months(first, last) if m.year == year]
        return {
            "show": True,
            "back": {"link": link({}), "title": _("All dates")},
            "choices": [
                {
                    "link": link({year_field: year, month_field: m.month}),
                    "title": capfirst(formats.date_format(m, "YEAR_MONTH_FORMAT")),
                }
                for m in months
            ],
        }
    return {
        "show": True,
        "back": None,
        "choices": [{"link": link({year_field: str(y)}), "title": str(y)} for y in range(first.year, last.year + 1)],
    }
