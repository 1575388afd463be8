"""GDPR hooks of the privacy app: who saw the person's images, their support grants and retention choice.

Files: none of its own (the images belong to the apps that made them); the keys are not exported (they would
open nothing outside this server and are destroyed with the account).
"""

from __future__ import annotations

from .models import MediaAccess, PrivacySettings, SupportGrant


def _iso(value):
    return value.isoformat() if value else None


def export(user) -> dict:
    settings_row = PrivacySettings.objects.filter(user=user).first()
    return {
        "photo_retention": (
            {"policy": settings_row.photo_retention or "site_default", "days": settings_row.retention_days}
            if settings_row
            else {"policy": "site_default", "days": None}
        ),
        "image_accesses": [
            {
                "at": _iso(a.created_at),
                "image": a.media_name,
                "image_kind": a.media_kind,
                "image_stored_at": _iso(a.media_created_at),
                "viewer_kind": a.viewer_kind,
                "viewer": a.viewer_words,
                "viewer_name": a.viewer_name,
                "via": a.via,
                "ref": a.ref or None,
            }
            for a in MediaAccess.objects.filter(owner=user).order_by("created_at", "id").iterator(chunk_size=2000)
        ],
        "support_grants": [
            {
                "id": str(g.pk),
                "staff": g.staff_email,
                "reason": g.reason,
                "hours": g.hours,
                "state": g.state,
                "asked_at": _iso(g.created_at),
                "decided_at": _iso(g.decided_at),
                "expires_at": _iso(g.expires_at),
                "revoked_at": _iso(g.revoked_at),
            }
            for g in SupportGrant.objects.filter(user=user).order_by("created_at")
        ],
    }


def files(user) -> list[str]:
    return []
