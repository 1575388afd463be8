"""The shared material as the dermatologist sees it (pages and API): scores, and signed links to the photos.

Photos reach a dermatologist only through privacy's one serving path: a link made for a `dermatologist` viewer of
one consultation, checked again when it is served (`may_see`, registered in apps.py) and recorded as an access the
person sees on their privacy page.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from privacy.media import MediaInfo, Viewer, media_url

VIEWER_KIND = "dermatologist"


def viewer_for(consultation) -> Viewer:
    return Viewer(kind=VIEWER_KIND, user_id=str(consultation.dermatologist_id), ref=str(consultation.pk))


def shared_image_names(consultation) -> set[str]:
    """The stored images this consultation shares: the analysis' photo and overlays, the before/after photos and
    their aligned comparison."""
    from analysis.models import SkinAnalysis
    from progress.models import Comparison

    ids = [
        i for i in (consultation.shared_analysis_id, consultation.shared_before_id, consultation.shared_after_id) if i
    ]
    names: set[str] = set()
    for row in SkinAnalysis.objects.filter(pk__in=ids, user_id=consultation.user_id).values_list(
        "image", "overlay", "overlay_face"
    ):
        names.update(n for n in row if n)
    if consultation.shared_before_id and consultation.shared_after_id:
        aligned = Comparison.objects.filter(
            before_id=consultation.shared_before_id, after_id=consultation.shared_after_id
        ).values_list("aligned_image", flat=True)
        names.update(n for n in aligned if n)
    return names


def may_see(viewer: Viewer, media: MediaInfo) -> bool:
    """At every serving: the consultation is the viewer's own, its person owns the image, sharing is still open
    (booked, not past its end plus the grace period) and the image is one of the shared ones."""
    from .models import Consultation
    from .selectors import parse_uuid, sharing_open

    consultation_id, dermatologist_id = parse_uuid(viewer.ref), parse_uuid(viewer.user_id)
    if consultation_id is None or dermatologist_id is None:
        return False
    consultation = Consultation.objects.filter(pk=consultation_id, dermatologist_id=dermatologist_id).first()
    if consultation is None or str(consultation.user_id) != str(media.owner_id) or not sharing_open(consultation):
        return False
    return media.name in shared_image_names(consultation)


def viewer_name(viewer: Viewer) -> str:
    """Who the dermatologist is, as kept on the access record (a name, the same in every language)."""
    from .models import Consultation
    from .selectors import parse_uuid

    consultation_id = parse_uuid(viewer.ref)
    consultation = (
        Consultation.objects.select_related("dermatologist").filter(pk=consultation_id).first()
        if consultation_id
        else None
    )
    if consultation is None:
        return ""
    return consultation.dermatologist.display_name if consultation.dermatologist else consultation.dermatologist_name


def viewer_words(name: str) -> str:
    """The record in the reader's words, written when it is read (the privacy page, the API, the export)."""
    if not name:
        return _("A dermatologist, for a consultation you booked")
    return _("%(name)s, dermatologist, for a consultation you booked") % {"name": name}


def image_url(name: str | None, consultation, request=None) -> str | None:
    """The one place a dermatologist gets a link to a person's photo (absolute when a request is at hand)."""
    return media_url(name, viewer=viewer_for(consultation), request=request)


def _concern_label(key: str) -> str:
    from accounts.models import CONCERN_LABELS

    return str(CONCERN_LABELS.get(key, key.replace("_", " ").capitalize()))


def material_context(material: dict | None, consultation, request=None) -> dict | None:
    """What the dermatologist sees of the shared material: scores and signed links to the photos."""
    if material is None:
        return None

    def link(name):
        return image_url(name, consultation, request)

    out: dict = {"analysis": None, "comparison": None}
    analysis = material["analysis"]
    if analysis is not None:
        out["analysis"] = {
            "created_at": analysis.created_at,
            "overall_score": analysis.overall_score,
            "skin_type": analysis.skin_type,
            "concerns": [{**c, "label": _concern_label(c["key"])} for c in analysis.concerns or [] if c.get("key")],
            "image_url": link(analysis.image.name if analysis.image else None),
            "overlay_url": link(analysis.overlay.name if analysis.overlay else None),
            "overlay_face_url": link(analysis.overlay_face.name if analysis.overlay_face else None),
        }
    payload = material["comparison"]
    if payload is not None:
        aligned = payload["comparison"].aligned_image
        out["comparison"] = {
            "days_between": payload["days_between"],
            "overall": payload["overall"],
            "concerns": [{**d, "label": _concern_label(d["key"])} for d in payload["concerns"]],
            "before_url": link(payload["before"].image.name if payload["before"].image else None),
            "after_url": link(
                aligned.name if aligned else (payload["after"].image.name if payload["after"].image else None)
            ),
        }
    return out
