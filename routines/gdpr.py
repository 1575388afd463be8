"""GDPR hooks: everything the routines app stores about a user. Rows go with the user (CASCADE)."""

from __future__ import annotations

from .models import ChannelDelivery, ReminderDelivery, Routine, ShelfItem, StepCompletion


def _iso(value):
    return value.isoformat() if value else None


def export(user) -> dict:
    routines = Routine.objects.filter(user=user).prefetch_related("steps")
    return {
        "routines": [
            {
                "id": str(r.id),
                "name": r.name,
                "period": r.period,
                "is_active": r.is_active,
                "started_at": _iso(r.started_at),
                "created_at": _iso(r.created_at),
                "warnings": r.warnings,
                "rules": r.rules,
                "basis": r.basis,
                "steps": [
                    {
                        "id": str(s.id),
                        "order": s.order,
                        "category": s.category,
                        "product": str(s.product_id) if s.product_id else None,
                        "product_name": s.product_name,
                        "reason": s.reason,
                        "instructions": s.instructions,
                        "wait_seconds": s.wait_seconds,
                        "days": s.days,
                        "schedule": s.schedule,
                        "timing": s.timing,
                    }
                    for s in r.steps.all()
                ],
            }
            for r in routines
        ],
        "step_completions": [
            {
                "routine": str(c.routine_id),
                "step": str(c.step_id),
                "date": _iso(c.date),
                "completed_at": _iso(c.completed_at),
            }
            for c in StepCompletion.objects.filter(user=user).order_by("date")
        ],
        "shelf": [
            {
                "id": str(i.id),
                "product": str(i.product_id) if i.product_id else None,
                "name": i.name,
                "brand": i.brand,
                "category": i.category,
                "opened_on": _iso(i.opened_on),
                "pao_months": i.pao_months,
                "best_before": _iso(i.best_before),
                "expires_on": _iso(i.expires_on),
                "notes": i.notes,
            }
            for i in ShelfItem.objects.filter(user=user)
        ],
        "reminders": [
            {
                "key": d.key,
                "kind": d.kind,
                "period": d.period,
                "local_date": _iso(d.local_date),
                "scheduled_for": _iso(d.scheduled_for),
                "status": d.status,
                "sent_at": _iso(d.sent_at),
                "channels": {c.channel: c.status for c in d.channels.all()},
            }
            for d in ReminderDelivery.objects.filter(user=user).prefetch_related("channels").order_by("scheduled_for")
        ],
    }


def files(user) -> list[str]:
    return []  # the routines app stores no files


__all__ = ["export", "files", "ChannelDelivery"]
