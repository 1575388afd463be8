"""What the progress app stores about a person (export) and which files are theirs (erasure)."""

from __future__ import annotations

from .models import Comparison, Milestone, ProgressEntry, ShareLink


def export(user) -> dict:
    return {
        "entries": [
            {
                "id": str(e.pk),
                "date": e.date.isoformat(),
                "analysis": str(e.analysis_id) if e.analysis_id else None,
                "rating": e.rating,
                "notes": e.notes,
                "created_at": e.created_at.isoformat(),
            }
            for e in ProgressEntry.objects.filter(user=user).order_by("date", "created_at")
        ],
        "milestones": [
            {
                "id": str(m.pk),
                "kind": m.kind,
                "key": m.key,
                "title": m.title,
                "achieved_at": m.achieved_at.isoformat(),
                "data": m.data,
            }
            for m in Milestone.objects.filter(user=user).order_by("achieved_at")
        ],
        "share_links": [
            {
                "id": str(s.pk),
                "kind": s.kind,
                "analysis": str(s.analysis_id) if s.analysis_id else None,
                "before": str(s.before_id) if s.before_id else None,
                "after": str(s.after_id) if s.after_id else None,
                "created_at": s.created_at.isoformat(),
                "expires_at": s.expires_at.isoformat(),
                "revoked_at": s.revoked_at.isoformat() if s.revoked_at else None,
                "hidden": s.hidden,
                "view_count": s.view_count,
            }
            for s in ShareLink.objects.filter(user=user).order_by("created_at")
        ],
        "comparisons": [
            {
                "before": str(c.before_id),
                "after": str(c.after_id),
                "residual_px": c.residual_px,
                "created_at": c.created_at.isoformat(),
            }
            for c in Comparison.objects.filter(user=user).order_by("created_at")
        ],
    }


def files(user) -> list[str]:
    """Aligned comparison images (the photos themselves belong to the analysis app)."""
    return [
        name
        for name in Comparison.objects.filter(user=user)
        .exclude(aligned_image="")
        .values_list("aligned_image", flat=True)
        if name
    ]
