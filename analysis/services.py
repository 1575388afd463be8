"""Writes of the analysis app, and the ONE adapter between the `ml/` engine and the apps.

Web processes import this module: it must not import torch. `ml.vision` (OpenCV, MediaPipe, NumPy) is
imported lazily where used; `ml.models` (torch, timm) only in the worker path (`_predictor_for`) and in
the training command.
"""

from __future__ import annotations

import io
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image

from domain import uploads as domain_uploads
from domain import vocabulary as vocab
from skincare.core import intake, leases, readcache
from skincare.core.context_processors import DISCLAIMER as SITE_DISCLAIMER
from skincare.core.errors import DomainError

from . import messages
from .models import Feedback, Lesion, ModelVersion, SkinAnalysis

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from ml.types import QualityThresholds

logger = logging.getLogger(__name__)

DISCLAIMER = SITE_DISCLAIMER
SKIN_TYPES = vocab.SKIN_TYPE_KEYS
# The claim's lease (see analysis_claim): a worker renews it every HEARTBEAT_SECONDS while it works; a "processing"
# row whose last heartbeat is older than LEASE_SECONDS was left by a dead worker and may be taken over.
LEASE_SECONDS = 20
HEARTBEAT_SECONDS = 5
STALE_PROCESSING_SECONDS = LEASE_SECONDS  # kept for callers of the old name


# --- configuration -----------------------------------------------------------------------------
def quality_thresholds() -> QualityThresholds:
    """Thresholds of the quality gate: the engine's defaults, overridden by what staff set in the admin
    (SiteConfig, cached; skincare.core.config)."""
    from skincare.core.config import quality_thresholds as configured

    return configured()


def analysis_group(analysis_id) -> str:
    """The channel group a live analysis page listens on."""
    return f"analysis.{analysis_id}"


# --- image validation: the one intake service (skincare/core/intake.py), under the names used here ---------
PreparedImage = intake.CleanImage
decode_base64_image = intake.decode_base64
prepare_image = intake.image_clean
ALLOWED_FORMATS = domain_uploads.ALLOWED_FORMATS
HEIF_SUPPORTED = intake.HEIF_SUPPORTED


def _too_large() -> DomainError:
    return intake.error(domain_uploads.FILE_TOO_LARGE)


def _rgb_array(content: bytes) -> np.ndarray:
    import numpy as np

    with Image.open(io.BytesIO(content)) as img:
        return np.asarray(img.convert("RGB"))


def quality_report_dict(report) -> dict:
    """The stored quality JSON: the measured values, `ok` and the issues with their advice."""
    return {
        "brightness": _round(report.brightness, 1),
        "sharpness": _round(report.sharpness, 2),
        "face_size": _round(report.face_size, 3),
        "yaw_degrees": _round(report.yaw_degrees, 1),
        "face_count": report.face_count,
        "ok": bool(report.ok),
        "issues": [{"code": i.code, "message": i.message} for i in report.issues],
    }


def _round(value, digits: int):
    return None if value is None else round(float(value), digits)


# When several checks fail, the advice to follow first: darkness or glare also spoil the sharpness measure,
# and a face that is not found or too small makes every other number meaningless.
QUALITY_PRIORITY = (
    "no_face_found",
    "multiple_faces",
    "face_too_small",
    "image_too_dark",
    "image_too_bright",
    "face_not_frontal",
    "image_blurry",
    "face_occluded",
)


def primary_issue(report):
    """The issue a person should fix first (see QUALITY_PRIORITY), or None."""
    if not report.issues:
        return None
    rank = {code: i for i, code in enumerate(QUALITY_PRIORITY)}
    return min(report.issues, key=lambda issue: rank.get(issue.code, len(rank)))


def check_image_quality(content: bytes):
    """Run the engine's quality gate; raise 400 with the first issue's code and advice."""
    from ml.vision import check_quality

    report = check_quality(_rgb_array(content), quality_thresholds())
    if not report.ok:  # in the request's language (the engine writes English; analysis.messages translates by code)
        issue = primary_issue(report)
        raise DomainError(
            messages.quality_advice(issue.code, issue.message) if issue else gettext(messages.QUALITY_FAILED),
            code=issue.code if issue else "image_quality",
            errors={"quality": [messages.quality_advice(i.code, i.message) for i in report.issues]}
            if report.issues
            else None,
        )
    return report


# --- upload ----------------------------------------------------------------------------------
def analysis_create(*, user, data: bytes, idempotency_key: str | None = None, photo_free: bool = False) -> SkinAnalysis:
    """Validate a photo, store it clean (and encrypted, privacy.storage) under a random name and queue its
    analysis (202 semantics).

    With an `idempotency_key`, the same key from the same user returns the first analysis. `photo_free`: the photo
    is kept only until the worker has measured it; then it is discarded (file and key) in the same task and only
    the measurements stay.
    """
    key = (idempotency_key or "").strip()[:255] or None
    if key:
        existing = SkinAnalysis.objects.filter(user=user, idempotency_key=key).first()
        if existing:
            return existing
    prepared = prepare_image(data)
    report = check_image_quality(prepared.content)
    try:
        with transaction.atomic():
            analysis = SkinAnalysis(
                user=user,
                idempotency_key=key,
                photo_free=bool(photo_free),
                image_width=prepared.width,
                image_height=prepared.height,
                quality=quality_report_dict(report),
                face_box=list(report.face_box) if report.face_box else None,
            )
            analysis.image.save("photo.jpg", ContentFile(prepared.content), save=False)
            analysis.save()
            _enqueue(analysis.pk)
    except IntegrityError:
        if key:
            existing = SkinAnalysis.objects.filter(user=user, idempotency_key=key).first()
            if existing:
                _delete_file(analysis.image.name)
                return existing
        raise
    return analysis


def _enqueue(analysis_id) -> None:
    transaction.on_commit(lambda: _send(analysis_id))


def _send(analysis_id) -> None:
    """Publish the task; a broker outage leaves the row queued for the periodic sweep instead of failing the request."""
    from .tasks import run_analysis

    try:
        run_analysis.delay(str(analysis_id))
    except Exception:  # noqa: BLE001 - requeue_stale_analyses sends it again later
        logger.exception("Could not enqueue analysis %s; the periodic sweep will retry", analysis_id)


def analysis_rerun(*, analysis: SkinAnalysis) -> SkinAnalysis:
    """Queue an analysis again (admin action): results are replaced when the task runs."""
    if not analysis.has_photo:
        raise DomainError(
            _("The photo of this analysis was deleted: it cannot be analysed again."), code="photo_deleted"
        )
    with transaction.atomic():
        SkinAnalysis.objects.filter(pk=analysis.pk).update(
            status=SkinAnalysis.Status.QUEUED, error_code="", error_detail="", started_at=None, completed_at=None
        )
        readcache.changed(analysis.user_id)
        _enqueue(analysis.pk)
    analysis.refresh_from_db()
    return analysis


def analysis_delete(*, analysis: SkinAnalysis) -> None:
    """Delete the row (lesions and feedback cascade) and the photo and overlay: their keys are destroyed in the
    same transaction (crypto-shredding: every copy is unreadable from the commit on), the files after it."""
    from privacy.services import photos_delete
    from privacy.storage import media_shred

    names = [n for n in (analysis.image.name, *(f.name for f in (analysis.overlay, analysis.overlay_face) if f)) if n]
    with transaction.atomic():
        photos_delete(analysis_ids=[analysis.pk], reason="person")  # its aligned comparisons and share cards too
        analysis.delete()
        media_shred(names)  # also when it was still queued


def _photo_is_transient(analysis: SkinAnalysis) -> bool:
    """A photo-free upload, or a person whose photos go as soon as their analysis is done (privacy.retention)."""
    from privacy.retention import discards_after_analysis

    return analysis.photo_free or discards_after_analysis(user_id=analysis.user_id)


def _photo_discard(analysis: SkinAnalysis) -> list[str]:
    """Inside the caller's transaction: forget the photo and overlay and destroy their keys (files go after
    commit). Returns the model fields to save."""
    from privacy.storage import media_shred

    names = [n for n in (analysis.image.name, *(f.name for f in (analysis.overlay, analysis.overlay_face) if f)) if n]
    if not names:
        return []
    media_shred(names)
    analysis.image = ""
    analysis.overlay = None
    analysis.overlay_face = None
    analysis.photo_deleted_at = timezone.now()
    analysis.photo_deleted_reason = "photo_free" if analysis.photo_free else "after_analysis"
    return ["image", "overlay", "overlay_face", "photo_deleted_at", "photo_deleted_reason"]


def _delete_file(name: str | None) -> None:
    if not name:
        return
    try:
        default_storage.delete(name)
    except Exception:  # noqa: BLE001 - a missing file is not an error for deletion
        logger.warning("Could not delete stored file %s", name, exc_info=True)


# --- feedback --------------------------------------------------------------------------------
def feedback_create(
    *,
    analysis: SkinAnalysis,
    user,
    rating: int,
    comment: str = "",
    corrected_skin_type: str | None = None,
    corrected_age: int | None = None,
) -> Feedback:
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise DomainError(_("Rate the analysis from 1 to 5."), code="invalid_rating", errors={"rating": [_("1 to 5.")]})
    if corrected_skin_type and corrected_skin_type not in SKIN_TYPES:
        raise DomainError(
            _("Skin type must be one of %(types)s.") % {"types": ", ".join(SKIN_TYPES)},
            code="invalid_skin_type",
            errors={"corrections.skin_type": [_("Unknown skin type.")]},
        )
    if corrected_age is not None and not 10 <= corrected_age <= 100:
        raise DomainError(
            _("Age must be between 10 and 100."), code="invalid_age", errors={"corrections.age": [_("10-100.")]}
        )
    return Feedback.objects.create(
        analysis=analysis,
        user=user,
        rating=rating,
        comment=(comment or "")[:2000],
        corrected_skin_type=corrected_skin_type or "",
        corrected_age=corrected_age,
    )


def photo_consent_given(user) -> bool:
    from accounts.models import Consent

    latest = Consent.objects.filter(user=user, kind="photo_analysis").order_by("-created_at").first()
    return bool(latest and latest.granted)


def photo_consent_record(*, user, ip_address: str | None = None) -> None:
    from accounts.models import Consent

    Consent.objects.create(user=user, kind="photo_analysis", granted=True, ip_address=ip_address or None)


# --- live status -----------------------------------------------------------------------------
def status_event(analysis: SkinAnalysis) -> dict:
    """The WebSocket message for an analysis' current state (the GET stays the source of truth)."""
    event: dict[str, Any] = {"type": "analysis.status", "id": str(analysis.pk), "status": analysis.status}
    if analysis.status == SkinAnalysis.Status.FAILED:
        event["error"] = {"code": analysis.error_code, "detail": analysis.error_detail}
    if analysis.status == SkinAnalysis.Status.DONE:
        event["overall_score"] = analysis.overall_score
        event["completed_at"] = analysis.completed_at.isoformat() if analysis.completed_at else None
    return event


def push_status(analysis: SkinAnalysis) -> None:
    """Send the status to the analysis' channel group; never fails the caller."""
    try:
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(analysis_group(analysis.pk), status_event(analysis))
    except Exception:  # noqa: BLE001 - live push is best effort
        logger.warning("Could not push status of analysis %s", analysis.pk, exc_info=True)


# --- the worker path -------------------------------------------------------------------------
_predictors: dict[str, Any] = {}
_predictor_lock = threading.Lock()


def _predictor_for(version: ModelVersion | None):
    """The active model's Predictor, loaded once per worker process (cached by version id)."""
    if version is None:
        return None
    key = str(version.pk)
    with _predictor_lock:
        if key not in _predictors:
            from ml.models import Predictor  # torch: worker path only

            started = time.perf_counter()
            _predictors.clear()  # one model in memory at a time
            _predictors[key] = Predictor.load(version.checkpoint_path)
            logger.info("Loaded model %s in %.0f ms", version.name, (time.perf_counter() - started) * 1000)
        return _predictors[key]


def active_model_version() -> ModelVersion | None:
    return ModelVersion.objects.filter(is_active=True).first()


def lease_expired() -> Q:
    """Processing rows left by a dead worker (skincare.core.leases)."""
    return leases.expired(timezone.timedelta(seconds=LEASE_SECONDS), fallback="started_at")


def analysis_claim(analysis_id, *, worker: str = "") -> uuid.UUID | None:
    """Take the row for one attempt with one conditional UPDATE: queued → processing, or a processing row whose lease
    expired (its worker died: no heartbeat for LEASE_SECONDS). Returns the attempt token, or None when the row is
    done, failed, or held by a live attempt (a duplicate delivery then does nothing)."""
    now = timezone.now()
    attempt = uuid.uuid4()
    taken = (
        SkinAnalysis.objects.filter(pk=analysis_id)
        .filter(Q(status=SkinAnalysis.Status.QUEUED) | (Q(status=SkinAnalysis.Status.PROCESSING) & lease_expired()))
        .update(
            status=SkinAnalysis.Status.PROCESSING,
            started_at=now,
            heartbeat_at=now,
            attempt=attempt,
            claimed_by=worker[:120],
        )
    )
    return attempt if taken else None


def analysis_heartbeat(analysis_id, *, attempt: uuid.UUID) -> bool:
    """Renew the attempt's lease; False when the attempt no longer holds the row (it was taken over, or finished)."""
    return leases.renew(
        SkinAnalysis.objects.filter(pk=analysis_id, attempt=attempt, status=SkinAnalysis.Status.PROCESSING)
    )


def analysis_lease_wait(analysis_id) -> float | None:
    """Seconds until a live attempt's lease on the row expires; None when no attempt holds it (done, failed, queued)."""
    return leases.seconds_left(
        SkinAnalysis.objects.filter(pk=analysis_id, status=SkinAnalysis.Status.PROCESSING),
        timezone.timedelta(seconds=LEASE_SECONDS),
        fallback="started_at",
    )


class _HeartbeatThread(threading.Thread):
    """Renews one attempt's lease every HEARTBEAT_SECONDS until stopped, on its own database connection. It dies with
    its process: that is how a killed worker's lease runs out."""

    def __init__(self, analysis_id, attempt: uuid.UUID) -> None:
        super().__init__(name=f"heartbeat-{analysis_id}", daemon=True)
        self.analysis_id, self.attempt = analysis_id, attempt
        self.halt = threading.Event()

    def run(self) -> None:
        from django.db import connection

        try:
            while not self.halt.wait(HEARTBEAT_SECONDS):
                if not analysis_heartbeat(self.analysis_id, attempt=self.attempt):
                    logger.warning("Analysis %s: attempt %s lost its lease", self.analysis_id, self.attempt)
                    return
        except Exception:  # noqa: BLE001 - a missed beat is not fatal; the lease simply runs out
            logger.warning("Analysis %s: heartbeat failed", self.analysis_id, exc_info=True)
        finally:
            connection.close()


@contextmanager
def analysis_lease(analysis_id, attempt: uuid.UUID) -> Iterator[None]:
    """Keep an attempt's lease alive while the block runs (a background heartbeat; none under eager Celery, where
    there is no separate worker that could die)."""
    thread = None if settings.CELERY_TASK_ALWAYS_EAGER else _HeartbeatThread(analysis_id, attempt)
    if thread is not None:
        thread.start()
    try:
        yield
    finally:
        if thread is not None:
            thread.halt.set()
            thread.join(timeout=HEARTBEAT_SECONDS + 5)


def analysis_release(analysis_id, *, attempt: uuid.UUID | None = None) -> None:
    """Give a claimed row back to the queue (before a retry of a transient error); only the attempt's own claim."""
    qs = SkinAnalysis.objects.filter(pk=analysis_id, status=SkinAnalysis.Status.PROCESSING)
    if attempt is not None:
        qs = qs.filter(attempt=attempt)
    qs.update(status=SkinAnalysis.Status.QUEUED, started_at=None, heartbeat_at=None, attempt=None)


def _holds(analysis: SkinAnalysis, attempt: uuid.UUID | None) -> bool:
    """Whether `attempt` may write the row's outcome (no attempt given: a caller outside the worker path)."""
    if attempt is None:
        return True
    if analysis.attempt == attempt and analysis.status == SkinAnalysis.Status.PROCESSING:
        return True
    logger.warning("Analysis %s: attempt %s no longer holds the row; its outcome is dropped", analysis.pk, attempt)
    return False


def analysis_fail(
    *, analysis_id, code: str, detail: str, quality: dict | None = None, attempt: uuid.UUID | None = None
) -> SkinAnalysis | None:
    with transaction.atomic():
        analysis = SkinAnalysis.objects.select_for_update().filter(pk=analysis_id).first()
        if analysis is None:
            return None
        if not _holds(analysis, attempt):
            return analysis
        analysis.status = SkinAnalysis.Status.FAILED
        analysis.error_code = code[:50]
        analysis.error_detail = detail
        analysis.completed_at = timezone.now()
        fields = ["status", "error_code", "error_detail", "completed_at"]
        if quality is not None:
            analysis.quality = quality
            fields.append("quality")
        if _photo_is_transient(analysis):
            fields += _photo_discard(analysis)
        analysis.save(update_fields=fields)
        transaction.on_commit(lambda: push_status(analysis))
    return analysis


def analysis_run(*, analysis_id, attempt: uuid.UUID | None = None) -> SkinAnalysis | None:
    """The inference task's body: claim (unless the caller holds `attempt`), analyse under the lease's heartbeat, store
    everything in one transaction if the attempt still holds the row, push the status.

    Client-caused failures (quality gate, unreadable image) end as `failed` with a code, never raise.
    Transient errors (storage, database) raise so that the task retries.
    """
    if attempt is None:
        attempt = analysis_claim(analysis_id)
        if attempt is None:
            return None
    with analysis_lease(analysis_id, attempt):
        return _analyse(analysis_id, attempt)


def _analyse(analysis_id, attempt: uuid.UUID) -> SkinAnalysis | None:
    analysis = SkinAnalysis.objects.get(pk=analysis_id)
    push_status(analysis)

    from ml.types import QualityError
    from ml.vision import analyze, load_image

    started = time.perf_counter()
    with analysis.image.open("rb") as fh:
        data = fh.read()
    try:
        image = load_image(data)
    except ValueError as exc:
        return analysis_fail(
            analysis_id=analysis_id, code="not_an_image", detail=f"The photo could not be read: {exc}", attempt=attempt
        )
    version = active_model_version()
    predictor = None
    if version is not None:
        try:
            predictor = _predictor_for(version)
        except Exception:  # noqa: BLE001 - a broken checkpoint must not stop the measured analysis
            logger.exception("Could not load model %s; analysing without it", version.name)
            version = None
    try:
        result = analyze(image, thresholds=quality_thresholds(), predictor=predictor)
    except QualityError as exc:
        issue = primary_issue(exc.report)
        return analysis_fail(
            analysis_id=analysis_id,
            code=issue.code if issue else exc.code,
            detail=issue.message if issue else messages.QUALITY_FAILED,
            quality=quality_report_dict(exc.report),
            attempt=attempt,
        )
    except ValueError as exc:
        return analysis_fail(analysis_id=analysis_id, code="analysis_failed", detail=str(exc)[:500], attempt=attempt)
    elapsed_ms = int((time.perf_counter() - started) * 1000)
    return _store_result(analysis_id, result, version if result.model is not None else None, elapsed_ms, attempt)


def _store_result(
    analysis_id, result, version: ModelVersion | None, elapsed_ms: int, attempt: uuid.UUID | None = None
) -> SkinAnalysis:
    with transaction.atomic():
        analysis = SkinAnalysis.objects.select_for_update().get(pk=analysis_id)
        if not _holds(analysis, attempt):  # taken over after this attempt's lease ran out: the holder stores
            return analysis
        analysis.lesions.all().delete()
        old_overlays = [f.name for f in (analysis.overlay, analysis.overlay_face) if f and f.name]
        analysis.status = SkinAnalysis.Status.DONE
        analysis.completed_at = timezone.now()
        analysis.error_code = ""
        analysis.error_detail = ""
        analysis.quality = quality_report_dict(result.quality)
        analysis.face_box = [int(v) for v in result.face_box]
        analysis.landmarks = [[round(float(x), 1), round(float(y), 1)] for x, y in result.landmarks]
        analysis.regions = {k: [[int(x), int(y)] for x, y in pts] for k, pts in result.regions.items()}
        analysis.concerns = [_concern_dict(c) for c in result.concerns]
        analysis.skin_type = result.skin_type.value
        analysis.skin_type_confidence = round(float(result.skin_type.confidence), 3)
        analysis.skin_type_source = result.skin_type.source
        analysis.skin_tone_ita = _round(result.skin_tone_ita, 1)
        analysis.skin_tone_hex = result.skin_tone_hex or ""
        analysis.skin_tone_category = result.skin_tone_category or ""
        analysis.region_quality = {
            name: {"visible": q.visible, "confidence": q.confidence, "reason": q.reason}
            for name, q in (result.region_quality or {}).items()
        }
        analysis.overall_score = int(result.overall_score)
        model = result.model
        analysis.model_version = version
        analysis.skin_age = _round(model.skin_age, 1) if model is not None else None
        analysis.conditions = (
            [{"label": label, "confidence": round(float(conf), 3)} for label, conf in model.conditions]
            if model is not None
            else None
        )
        analysis.timings = {k: round(float(v), 1) for k, v in result.timings_ms.items()}
        analysis.processing_ms = elapsed_ms
        transient = _photo_is_transient(analysis)
        if result.overlay_png and not transient:
            analysis.overlay.save("overlay.png", ContentFile(result.overlay_png), save=False)
        if result.overlay_face_png and not transient:
            analysis.overlay_face.save("overlay-face.png", ContentFile(result.overlay_face_png), save=False)
            analysis.overlay_face_box = [int(v) for v in result.overlay_face_box] if result.overlay_face_box else None
        if transient:  # measured: only the numbers stay; pages draw the face map from the landmarks
            _photo_discard(analysis)
        analysis.save()
        Lesion.objects.bulk_create(
            [
                Lesion(
                    analysis=analysis,
                    x=max(0, int(le.box[0])),
                    y=max(0, int(le.box[1])),
                    w=max(0, int(le.box[2])),
                    h=max(0, int(le.box[3])),
                    kind=le.kind[:30],
                    confidence=round(float(le.confidence), 3),
                    region=(le.region or "")[:30],
                )
                for le in result.lesions
            ]
        )
        transaction.on_commit(lambda: push_status(analysis))
        for old in old_overlays:
            transaction.on_commit(lambda name=old: _delete_file(name))
    return analysis


def _concern_dict(c) -> dict:
    data = asdict(c)
    return {
        "key": data["key"],
        "raw": _round(data["raw"], 4),
        "unit": data["unit"],
        "score": int(data["score"]),
        "severity": data["severity"],
        "confidence": round(float(data["confidence"]), 3),
        "regions": {k: (None if v is None else int(v)) for k, v in (data.get("regions") or {}).items()},
        "explanation": data["explanation"],  # English, as the engine wrote it; pages render the key below
        "explanation_key": data.get("explanation_key") or "",
        "explanation_params": dict(data.get("explanation_params") or {}),
        "reasons": list(data.get("reasons") or []),
    }


# --- model versions --------------------------------------------------------------------------
def model_version_register(
    *,
    name: str,
    backbone: str,
    checkpoint_path: str,
    metrics: dict | None = None,
    labels: dict | None = None,
    notes: str = "",
    activate: bool = False,
) -> ModelVersion:
    if ModelVersion.objects.filter(name=name).exists():
        raise DomainError(f"A model version named {name!r} exists already.", code="model_version_exists")
    version = ModelVersion.objects.create(
        name=name,
        backbone=backbone,
        checkpoint_path=checkpoint_path,
        metrics=metrics or {},
        labels=labels or {},
        notes=notes,
    )
    if activate:
        version = model_version_activate(version=version)
    return version


@transaction.atomic
def model_version_activate(*, version: ModelVersion) -> ModelVersion:
    """Make `version` the one active model (workers pick it up at their next task).

    Refused (400, `model_not_better_than_baseline`) unless every head the model has beats its trivial
    baseline measured in the same training run, on enough held-out images (`ml.model_gate`).
    """
    from ml.model_gate import activation_problems

    problems = activation_problems(version.metrics)
    if problems:
        raise DomainError(
            f"{version.name} cannot be activated: {'; '.join(problems)}.",
            code="model_not_better_than_baseline",
            errors={"metrics": problems},
        )
    ModelVersion.objects.select_for_update().filter(is_active=True).exclude(pk=version.pk).update(is_active=False)
    version.is_active = True
    version.activated_at = timezone.now()
    version.save(update_fields=["is_active", "activated_at"])
    return version


@transaction.atomic
def model_version_deactivate_all() -> int:
    return ModelVersion.objects.filter(is_active=True).update(is_active=False)


@transaction.atomic
def model_version_rollback() -> ModelVersion | None:
    """Re-activate the version that was active before the current one; None (no model) when there was none."""
    current = ModelVersion.objects.select_for_update().filter(is_active=True).first()
    previous = ModelVersion.objects.filter(activated_at__isnull=False).exclude(is_active=True)
    if current is not None and current.activated_at is not None:
        previous = previous.filter(activated_at__lt=current.activated_at)
    previous = previous.order_by("-activated_at").first()
    if current is not None:
        current.is_active = False
        current.save(update_fields=["is_active"])
    if previous is None:
        return None
    # activated_at is left as it was, so a second rollback steps further back in history.
    previous.is_active = True
    previous.save(update_fields=["is_active"])
    return previous
