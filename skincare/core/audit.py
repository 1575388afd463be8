"""The audit log of staff actions: who changed what, when, which fields, before and after.

Every ModelAdmin registered on the admin site gets `AuditMixin` (see `install`, called by skincare.core.admin when
the admin's URLs are built, i.e. after every app's admin.py has registered its models). The mixin records adds,
changes (field by field, from the form's initial values and cleaned data), deletions, inline changes and admin
actions. Staff operations outside ModelAdmin forms (configuration, moderation, model activation) call
`audit_record` themselves.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import models
from django.db.models.fields.files import FieldFile

from skincare.core.models import AuditEntry

SECRET_WORDS = ("password", "secret", "token", "otp", "code_hash", "key_hash")
REDACTED = "•••"
MAX_VALUE_CHARS = 500
MAX_IDS_IN_ACTION = 200


def _is_secret(field_name: str) -> bool:
    name = field_name.lower()
    return any(word in name for word in SECRET_WORDS) and name not in {"token_count"}


def jsonable(value: Any) -> Any:
    """A JSON-safe, bounded rendering of a field value."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.QuerySet):
        return sorted(str(pk) for pk in value.values_list("pk", flat=True)[:MAX_IDS_IN_ACTION])
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in list(value.items())[:100]}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in list(value)[:100]]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def diff_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list]:
    """{field: [before, after]} for each field whose JSON rendering differs; secrets are masked."""
    changes = {}
    for name in after:
        old, new = jsonable(before.get(name)), jsonable(after.get(name))
        if old != new:
            changes[name] = [REDACTED, REDACTED] if _is_secret(name) else [old, new]
    return changes


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of `obj` (foreign keys as ids), for a deletion's "before"."""
    data = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        data[field.attname] = REDACTED if _is_secret(field.name) else jsonable(value)
    return data


def client_ip(request) -> str | None:
    """The acting staff member's address (X-Forwarded-For only from TRUSTED_PROXIES)."""
    from .clientip import client_ip as real_client_ip

    return real_client_ip(request)


def audit_entry(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    model: type[models.Model] | None = None,
    object_id: str = "",
    object_repr: str = "",
    changes: dict | None = None,
    name: str = "",
    detail: str = "",
    ip_address: str | None = None,
) -> AuditEntry:
    target = obj if obj is not None else model
    meta = target._meta if target is not None else None
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry(
        actor=actor,
        actor_email=getattr(actor, "email", "") or "",
        action=action,
        name=name[:100],
        app_label=meta.app_label if meta else "",
        model=(meta.model_name or "") if meta else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else str(object_id)[:64],
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        changes=changes or {},
        detail=detail,
        ip_address=ip_address,
    )


def audit_record(**kwargs) -> AuditEntry:
    """Record one staff action (see `audit_entry` for the arguments)."""
    entry = audit_entry(**kwargs)
    entry.save()
    return entry


def audit_record_many(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    return AuditEntry.objects.bulk_create(list(entries), batch_size=500)


# --- the ModelAdmin side ------------------------------------------------------------------------
def _form_changes(form, change: bool) -> dict[str, list]:
    if form is None:
        return {}
    names = list(getattr(form, "changed_data", []) or [])
    before = {name: (form.initial.get(name) if change else None) for name in names}
    after = {name: form.cleaned_data.get(name) for name in names if name in getattr(form, "cleaned_data", {})}
    changes = diff_fields(before, after)
    if not change:  # an add: every filled field, even one equal to its default
        for name in names:
            changes.setdefault(name, [None, REDACTED if _is_secret(name) else jsonable(form.cleaned_data.get(name))])
    for name in names:  # a changed password is worth a line even though both sides are masked
        if _is_secret(name):
            changes[name] = [REDACTED, REDACTED]
    return changes


class AuditMixin:
    """Records every add, change, deletion, inline change and action done through this ModelAdmin."""

    audit_skip_save = False  # a ModelAdmin that audits its saves itself (through a service) sets this

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _mark(request, obj)
        changes = _form_changes(form, change)
        if not self.audit_skip_save and (changes or not change):  # a save that changed nothing is no change
            audit_record(
                actor=request.user,
                action="change" if change else "add",
                obj=obj,
                changes=changes,
                ip_address=client_ip(request),
            )

    def save_formset(self, request, form, formset, change):
        entries = []
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            is_change = not inline_form.instance._state.adding
            entries.append((inline_form, is_change))
        deleted = [
            audit_entry(
                actor=request.user,
                action="delete",
                obj=f.instance,
                changes={k: [v, None] for k, v in snapshot(f.instance).items()},
                ip_address=client_ip(request),
            )
            for f in formset.deleted_forms
            if not f.instance._state.adding
        ]
        super().save_formset(request, form, formset, change)
        records = [
            audit_entry(
                actor=request.user,
                action="change" if is_change else "add",
                obj=f.instance,
                changes=_form_changes(f, is_change),
                name=f"inline of {form.instance._meta.model_name} {form.instance.pk}",
                ip_address=client_ip(request),
            )
            for f, is_change in entries
            if f.instance.pk is not None
        ]
        audit_record_many(deleted + records)

    def delete_model(self, request, obj):
        entry = audit_entry(
            actor=request.user,
            action="delete",
            obj=obj,
            changes={k: [v, None] for k, v in snapshot(obj).items()},
            ip_address=client_ip(request),
        )
        super().delete_model(request, obj)
        entry.save()

    def delete_queryset(self, request, queryset):
        entries = [
            audit_entry(
                actor=request.user,
                action="delete",
                obj=obj,
                changes={k: [v, None] for k, v in snapshot(obj).items()},
                name="delete_selected",
                ip_address=client_ip(request),
            )
            for obj in queryset
        ]
        super().delete_queryset(request, queryset)
        audit_record_many(entries)

    def log_change(self, request, obj, message):
        # Views that save without save_model (e.g. the user admin's password form) still leave a line.
        if not _marked(request, obj):
            name = getattr(getattr(request, "resolver_match", None), "url_name", "") or ""
            changes = {"password": [REDACTED, REDACTED]} if name.endswith("password_change") else {}
            audit_record(
                actor=request.user,
                action="change",
                obj=obj,
                changes=changes,
                name=name,
                detail=_message_text(message),
                ip_address=client_ip(request),
            )
        return super().log_change(request, obj, message)

    def log_addition(self, request, obj, message):
        if not _marked(request, obj):
            audit_record(
                actor=request.user, action="add", obj=obj, detail=_message_text(message), ip_address=client_ip(request)
            )
        return super().log_addition(request, obj, message)

    def get_actions(self, request):
        actions = super().get_actions(request)
        return {
            name: (func if name == "delete_selected" else _audited_action(func, name), action_name, description)
            for name, (func, action_name, description) in actions.items()
        }


def _mark(request, obj) -> None:
    marks = getattr(request, "_audited", None)
    if marks is None:
        marks = request._audited = set()
    marks.add((obj._meta.label, str(obj.pk)))


def _marked(request, obj) -> bool:
    return (obj._meta.label, str(obj.pk)) in getattr(request, "_audited", set())


def _message_text(message) -> str:
    if isinstance(message, list | tuple):
        import json

        return json.dumps(message)[:2000]
    return str(message or "")[:2000]


ACTION_FORM_FIELDS = {"csrfmiddlewaretoken", "action", "index", "select_across", ACTION_CHECKBOX_NAME, "post", "apply"}


def _intermediate(response) -> bool:
    """An action that answers with an HTML page is asking something first (a confirmation, a reason)."""
    return (
        response is not None
        and getattr(response, "status_code", 200) == 200
        and str(response.get("Content-Type", "")).startswith("text/html")
    )


def _audited_action(func, name: str):
    """Run an admin action, then record, per selected object, the fields it changed (before/after), or one
    line with the selected ids when it changed none of their fields (e.g. it queued work)."""

    def run(modeladmin, request, queryset):
        model = modeladmin.model
        selected = list(queryset[: MAX_IDS_IN_ACTION + 1])
        before = {str(obj.pk): (obj, snapshot(obj)) for obj in selected[:MAX_IDS_IN_ACTION]}
        response = func(modeladmin, request, queryset)
        if _intermediate(response):
            return response
        after = {
            str(obj.pk): snapshot(obj)
            for obj in model._default_manager.filter(pk__in=[obj.pk for obj, _ in before.values()])
        }
        inputs = {
            key: request.POST.getlist(key) if len(request.POST.getlist(key)) > 1 else request.POST.get(key)
            for key in request.POST
            if key not in ACTION_FORM_FIELDS
        }
        detail = f"Admin action {name!r}" + (f"; input: {_message_text(inputs)}" if inputs else "")
        entries = []
        for pk, (obj, old) in before.items():
            new = after.get(pk)
            changes = {k: [v, None] for k, v in old.items()} if new is None else diff_fields(old, new)
            if changes:
                entries.append(
                    audit_entry(
                        actor=request.user,
                        action="action",
                        obj=obj,
                        changes=changes,
                        name=name,
                        detail=detail,
                        ip_address=client_ip(request),
                    )
                )
        if not entries:
            count = f"more than {MAX_IDS_IN_ACTION}" if len(selected) > MAX_IDS_IN_ACTION else str(len(selected))
            entries.append(
                audit_entry(
                    actor=request.user,
                    action="action",
                    model=model,
                    object_id=str(selected[0].pk) if len(selected) == 1 else "",
                    object_repr=f"{count} {model._meta.verbose_name_plural}",
                    changes={"ids": list(before)},
                    name=name,
                    detail=detail,
                    ip_address=client_ip(request),
                )
            )
        audit_record_many(entries)
        return response

    run.__name__ = getattr(func, "__name__", name)
    for attr in ("short_description", "allowed_permissions"):
        if hasattr(func, attr):
            setattr(run, attr, getattr(func, attr))
    return run


def install(site: admin.AdminSite) -> int:
    """Give every registered ModelAdmin the audit mixin (once). Returns how many were changed."""
    changed = 0
    for model_admin in site._registry.values():
        cls = type(model_admin)
        if issubclass(cls, AuditMixin):
            continue
        model_admin.__class__ = type(f"Audited{cls.__name__}", (AuditMixin, cls), {"__module__": cls.__module__})
        changed += 1
    return changed


def audit_forget_subject(*, user_id) -> int:
    """On account erasure: blank the before/after values recorded about that person's user and profile rows
    (who acted and when stay). Returns how many entries were redacted."""
    entries = AuditEntry.objects.filter(app_label="accounts", model__in=["user", "profile"], object_id=str(user_id))
    return entries.update(changes={}, object_repr="(erased account)", detail="")
