"""GDPR hooks of the accounts app (the convention every app follows: export(user), files(user))."""

from __future__ import annotations

from .models import User


def _iso(value):
    return value.isoformat() if value else None


def export(user: User) -> dict:
    profile = getattr(user, "profile", None)
    return {
        "user": {
            "id": str(user.id),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            "email_verified": user.email_verified,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "last_seen": _iso(user.last_seen),
        },
        "profile": (
            {
                "skin_type": profile.skin_type,
                "skin_tone": profile.skin_tone,
                "concerns": profile.concerns,
                "allergies": profile.allergies,
                "pregnant_or_nursing": profile.pregnant_or_nursing,
                "birth_year": profile.birth_year,
                "budget": profile.budget,
                "preferences": profile.preferences,
                "timezone": profile.timezone,
                "language": profile.language,
                "reminder_times": profile.reminder_times,
                "max_steps": profile.max_steps,
                "quiet_hours": profile.quiet_hours,
                "notification_channels": profile.notification_channels,
                "updated_at": _iso(profile.updated_at),
            }
            if profile
            else None
        ),
        "consents": [
            {
                "kind": c.kind,
                "version": c.version,
                "granted": c.granted,
                "ip_address": c.ip_address,
                "created_at": _iso(c.created_at),
            }
            for c in user.consents.order_by("created_at")
        ],
        "notifications": [
            {
                "id": str(n.id),
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "data": n.data,
                "url": n.url,
                "created_at": _iso(n.created_at),
                "read_at": _iso(n.read_at),
            }
            for n in user.notifications.order_by("created_at")
        ],
    }


def files(user: User) -> list[str]:
    return []  # accounts stores no files of its own
