"""What the analysis app stores about a person (export) and their files (deleted with the account)."""

from __future__ import annotations

from .models import Feedback, SkinAnalysis, SkinToneLabel


def export(user) -> dict:
    analyses = SkinAnalysis.objects.owned_by(user).select_related("model_version").prefetch_related("lesions")
    return {
        "analyses": [
            {
                "id": str(a.pk),
                "status": a.status,
                "created_at": a.created_at.isoformat(),
                "completed_at": a.completed_at.isoformat() if a.completed_at else None,
                "image": a.image.name or None,
                "overlay": a.overlay.name if a.overlay else None,
                "overlay_face": a.overlay_face.name if a.overlay_face else None,
                "error": {"code": a.error_code, "detail": a.error_detail} if a.error_code else None,
                "quality": a.quality,
                "face_box": a.face_box,
                "concerns": a.concerns,
                "skin_type": a.skin_type or None,
                "skin_type_confidence": a.skin_type_confidence,
                "skin_tone_ita": a.skin_tone_ita,
                "skin_tone_hex": a.skin_tone_hex or None,
                "skin_tone_category": a.skin_tone_category or None,
                "region_quality": a.region_quality,
                "skin_age": a.skin_age,
                "conditions": a.conditions,
                "overall_score": a.overall_score,
                "model_version": a.model_version.name if a.model_version else None,
                "lesions": [
                    {"box": le.box, "kind": le.kind, "confidence": le.confidence, "region": le.region}
                    for le in a.lesions.all()
                ],
            }
            for a in analyses
        ],
        "feedback": [
            {
                "analysis": str(f.analysis_id),
                "rating": f.rating,
                "comment": f.comment,
                "corrected_skin_type": f.corrected_skin_type or None,
                "corrected_age": f.corrected_age,
                "created_at": f.created_at.isoformat(),
            }
            for f in Feedback.objects.filter(user=user)
        ],
        "skin_tone_labels": [
            {
                "analysis": str(t.analysis_id) if t.analysis_id else None,
                "label": t.label,
                "measured_ita": t.measured_ita,
                "measured_category": t.measured_category or None,
                "source": t.source,
                "created_at": t.created_at.isoformat(),
            }
            for t in SkinToneLabel.objects.filter(user=user)
        ],
    }


def files(user) -> list[str]:
    names: list[str] = []
    rows = SkinAnalysis.objects.owned_by(user).values_list("image", "overlay", "overlay_face")
    for row in rows:
        names.extend(n for n in row if n)
    return names
