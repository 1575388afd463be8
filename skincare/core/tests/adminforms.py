"""Build the POST data a browser would send for an admin change form, from the GET response's context."""

from __future__ import annotations

import datetime


def _encode(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, list | tuple):
        return [str(getattr(v, "pk", v)) for v in value]
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


def _form_fields(form, data: dict) -> None:
    for bound in form:
        if bound.field.disabled:
            continue
        value = _encode(bound.value())
        if value is None:
            continue
        data[bound.html_name] = value


def change_form_data(response, **overrides) -> dict:
    context = response.context
    data: dict = {}
    _form_fields(context["adminform"].form, data)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{formset.prefix}-{name}"] = str(management[name].value())
        for form in formset.initial_forms:
            _form_fields(form, data)
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(formset.initial_forms))
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
