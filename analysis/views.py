"""Pages (session auth): capture, the live processing/result page, history. Uploads use the same service as the API."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from domain import uploads as domain_uploads
from domain import vocabulary as vocab
from skincare.core import intake
from skincare.core.errors import DomainError, NotFound

from . import selectors, services
from .api.serializers import AnalysisSerializer
from .messages import explanation_text, issue_text, unit_text
from .models import SkinAnalysis

LESION_KINDS = {  # "(2 inflamed, 1 dark spot)" beside the count of spots found (ml.types.Lesion.kind)
    "inflamed": pgettext_lazy("spot kind", "inflamed"),
    "dark_spot": pgettext_lazy("spot kind", "dark spot"),
    "comedone": pgettext_lazy("spot kind", "comedone"),
}
SEVERITY_BADGE = {"none": "good", "mild": "green", "moderate": "warn", "severe": "bad"}
REGION_NAMES = {
    "forehead": pgettext_lazy("face region", "forehead"),
    "left_cheek": pgettext_lazy("face region", "left cheek"),
    "right_cheek": pgettext_lazy("face region", "right cheek"),
    "nose": pgettext_lazy("face region", "nose"),
    "chin": pgettext_lazy("face region", "chin"),
    "left_under_eye": pgettext_lazy("face region", "left under-eye"),
    "right_under_eye": pgettext_lazy("face region", "right under-eye"),
    "t_zone": pgettext_lazy("face region", "T-zone"),
}
REASON_TEXTS = {
    "occluded": _("covered (hands, hair, beard, glasses or a hat)"),
    "out_of_frame": _("outside the photo"),
    "low_resolution": _("too few pixels for fine detail"),
}
CONCERN_REASON_TEXTS = {
    "low_resolution": _("Your face has few pixels in this photo: fine detail (spots, pores, texture) is less certain."),
    "underexposed": _("Your face is dark in this photo: it was brightened to measure, which makes this less certain."),
}


def _reason_texts(reasons: list[str]) -> list[str]:
    """Plain sentences for a concern's reasons ("occluded:forehead" -> "Not measured on the forehead: ...")."""
    out = []
    for reason in reasons or []:
        kind, _, region = reason.partition(":")
        if region:
            out.append(
                gettext("Not measured on the %(region)s: %(reason)s.")
                % {"region": REGION_NAMES.get(region, region), "reason": REASON_TEXTS.get(kind, kind)}
            )
        elif kind in CONCERN_REASON_TEXTS:
            out.append(str(CONCERN_REASON_TEXTS[kind]))
    return out


def _region_notes(region_quality: dict | None) -> list[dict]:
    notes = []
    for name, q in sorted((region_quality or {}).items()):
        reason = (q or {}).get("reason")
        if reason in ("occluded", "out_of_frame") and name != "t_zone":
            notes.append(
                {
                    "region": name,
                    "reason": reason,
                    "text": gettext("%(region)s: %(reason)s; its scores are left out.")
                    % {"region": capfirst(str(REGION_NAMES.get(name, name))), "reason": REASON_TEXTS[reason]},
                }
            )
    if any((q or {}).get("reason") == "low_resolution" for q in (region_quality or {}).values()):
        notes.append({"region": "", "reason": "low_resolution", "text": str(CONCERN_REASON_TEXTS["low_resolution"])})
    return notes


def _owned(request, pk) -> SkinAnalysis:
    try:
        return selectors.analysis_get(user=request.user, analysis_id=pk)
    except NotFound as exc:
        raise Http404(gettext("Analysis not found.")) from exc


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


@login_required
def capture(request):
    consent_given = services.photo_consent_given(request.user)
    error = None
    if request.method == "POST":
        try:
            if not consent_given:
                if request.POST.get("consent") != "on":
                    raise DomainError(
                        gettext("Please agree to the photo analysis before uploading."), code="consent_required"
                    )
                services.photo_consent_record(user=request.user, ip_address=_client_ip(request))
                consent_given = True
            upload = request.FILES.get("file")
            if upload is None:
                raise DomainError(gettext("Choose or take a photo first."), code=domain_uploads.NO_IMAGE)
            analysis = services.analysis_create(
                user=request.user,
                data=intake.image_bytes(upload=upload),
                idempotency_key=request.POST.get("idempotency_key") or None,
                photo_free=request.POST.get("photo_free") == "on",
            )
            return redirect("analysis:detail", pk=analysis.pk)
        except DomainError as exc:
            error = {"code": exc.code, "detail": exc.detail}
    status = 400 if error else 200
    return render(
        request,
        "analysis/capture.html",
        {"consent_given": consent_given, "error": error, "max_mb": settings.ANALYSIS_MAX_UPLOAD_BYTES // 2**20},
        status=status,
    )


@login_required
@require_GET
def detail(request, pk):
    analysis = _owned(request, pk)
    rq = analysis.region_quality or {}
    concerns = [
        {
            **c,
            "name": gettext(vocab.concern_label(c.get("key", ""))),
            "explanation": explanation_text(c),
            "unit": unit_text(c.get("unit") or ""),
            "severity_name": gettext(vocab.SEVERITY_LABELS.get(c.get("severity") or "", c.get("severity") or "")),
            "badge": SEVERITY_BADGE.get(c.get("severity"), ""),
            "region_items": [
                (
                    capfirst(gettext(vocab.region_word(name))),
                    v,
                    str(REASON_TEXTS.get((rq.get(name) or {}).get("reason") or "", "")) if v is None else "",
                )
                for name, v in sorted((c.get("regions") or {}).items())
            ],
            "reason_texts": _reason_texts(c.get("reasons") or []),
        }
        for c in analysis.concerns or []
    ]
    profile = getattr(request.user, "profile", None)
    profile_tone = getattr(profile, "skin_tone", None)
    lesions = list(analysis.lesions.all())
    lesion_kinds: dict[str, int] = {}
    for le in lesions:
        kind = str(LESION_KINDS.get(le.kind, le.kind.replace("_", " ")))
        lesion_kinds[kind] = lesion_kinds.get(kind, 0) + 1
    from .facemap import face_map_svg

    return render(
        request,
        "analysis/detail.html",
        {
            "analysis": analysis,
            "data": AnalysisSerializer(analysis, context={"request": request}).data,
            "face_map": None if analysis.has_photo else face_map_svg(analysis),
            "concerns": concerns,
            "lesion_count": len(lesions),
            "lesion_kinds": sorted(lesion_kinds.items()),
            "active_model": selectors.active_model_version(),
            "disclaimer": services.DISCLAIMER,
            "skin_types": services.SKIN_TYPES,
            "profile_sensitive": getattr(profile, "skin_type", None) == "sensitive",
            "region_notes": _region_notes(rq),
            "quality_issues": [issue_text(i) for i in (analysis.quality or {}).get("issues") or []],
            "skin_type_name": gettext(dict(vocab.SKIN_TYPE_CHOICES).get(analysis.skin_type, analysis.skin_type))
            if analysis.skin_type
            else "",
            "skin_tone_name": _tone_name(analysis.skin_tone_category),
            "profile_skin_tone": profile_tone,
            "profile_skin_tone_name": _tone_name(profile_tone),
            "pending": analysis.status in (SkinAnalysis.Status.QUEUED, SkinAnalysis.Status.PROCESSING),
        },
    )


def _tone_name(key: str | None) -> str:
    if not key:
        return ""
    word = dict(vocab.SKIN_TONES).get(key)
    return gettext(word) if word else key.replace("_", " ").capitalize()


@login_required
@require_GET
def status_json(request, pk):
    """The same representation as GET /api/v1/analysis/<id>, for the page's polling fallback (session auth)."""
    analysis = _owned(request, pk)
    return JsonResponse(AnalysisSerializer(analysis, context={"request": request}).data)


@login_required
@require_GET
def history(request):
    from privacy.media import owner_media_url

    page = Paginator(selectors.analysis_history(user=request.user), 20).get_page(request.GET.get("page"))
    from .facemap import face_map_svg

    for a in page.object_list:
        a.thumb_url = owner_media_url(a.image.name, user=request.user) if a.has_photo else None
        a.face_map = None if a.has_photo else face_map_svg(a, width=56, lesions=False)
    return render(request, "analysis/history.html", {"page": page})


@login_required
@require_POST
def delete(request, pk):
    analysis = _owned(request, pk)
    services.analysis_delete(analysis=analysis)
    messages.success(request, gettext("The analysis and its photos were deleted."))
    return redirect("analysis:history")


@login_required
@require_POST
def photo_delete(request, pk):
    """Delete the photo (and its overlay and aligned comparisons), keep the results."""
    from privacy.services import photo_delete_for_user

    try:
        photo_delete_for_user(user=request.user, analysis_id=pk)
    except NotFound as exc:
        raise Http404(gettext("Analysis not found.")) from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, gettext("The photo is deleted for good. The results and the face map are kept."))
    return redirect("analysis:detail", pk=pk)


@login_required
@require_POST
def feedback(request, pk):
    analysis = _owned(request, pk)
    try:
        rating = int(request.POST.get("rating", ""))
    except ValueError:
        rating = 0
    age_text = (request.POST.get("corrected_age") or "").strip()
    try:
        services.feedback_create(
            analysis=analysis,
            user=request.user,
            rating=rating,
            comment=request.POST.get("comment", ""),
            corrected_skin_type=request.POST.get("corrected_skin_type") or None,
            corrected_age=int(age_text) if age_text.isdigit() else None,
        )
        messages.success(request, gettext("Thank you: your feedback helps us improve the analysis."))
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("analysis:detail", pk=analysis.pk)
