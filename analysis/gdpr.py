"""What the analysis app stores about a person (export) and their files (deleted with the account)."""

from __future__ import annotations

from .models import Feedback, SkinAnalysis


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
                "error": {"code": a.error_code, "detail": a.error_detail} if a.error_code else None,
                "quality": a.quality,
                "face_box": a.face_box,
                "concerns": a.concerns,
                "skin_type": a.skin_type or None,
                "skin_type_confidence": a.skin_type_confidence,
                "skin_tone_ita": a.skin_tone_ita,
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
    }


def files(user) -> list[str]:
    names: list[str] = []
    for image, overlay in SkinAnalysis.objects.owned_by(user).values_list("image", "overlay"):
        names.extend(n for n in (image, overlay) if n)
    return names
