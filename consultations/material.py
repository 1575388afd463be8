"""The shared material as the dermatologist sees it (pages and API): scores, and signed links to the photos."""

from __future__ import annotations

from django.core.files.storage import default_storage


def image_url(name: str | None, request=None) -> str | None:
    """The one place a dermatologist gets a link to a person's photo: the existing signed, expiring media link
    (skincare.core.storage; S3 presigned in production), absolute when a request is at hand. Access records for
    this viewer (a dermatologist) belong here."""
    if not name:
        return None
    url = default_storage.url(name)
    return request.build_absolute_uri(url) if request is not None and url.startswith("/") else url


def material_context(material: dict | None, request=None) -> dict | None:
    """What the dermatologist sees of the shared material: scores and signed links to the photos."""
    if material is None:
        return None
    out: dict = {"analysis": None, "comparison": None}
    analysis = material["analysis"]
    if analysis is not None:
        out["analysis"] = {
            "created_at": analysis.created_at,
            "overall_score": analysis.overall_score,
            "skin_type": analysis.skin_type,
            "concerns": [
                {**c, "label": c["key"].replace("_", " ").capitalize()} for c in analysis.concerns or [] if c.get("key")
            ],
            "image_url": image_url(analysis.image.name if analysis.image else None, request),
            "overlay_url": image_url(analysis.overlay.name if analysis.overlay else None, request),
        }
    payload = material["comparison"]
    if payload is not None:
        aligned = payload["comparison"].aligned_image
        out["comparison"] = {
            "days_between": payload["days_between"],
            "overall": payload["overall"],
            "concerns": [{**d, "label": d["key"].replace("_", " ").capitalize()} for d in payload["concerns"]],
            "before_url": image_url(payload["before"].image.name if payload["before"].image else None, request),
            "after_url": image_url(
                aligned.name if aligned else (payload["after"].image.name if payload["after"].image else None), request
            ),
        }
    return out
