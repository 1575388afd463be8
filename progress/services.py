"""Writes of the progress app: diary entries, milestones, before/after comparisons and share links."""

from __future__ import annotations

import io
import logging
import math
import re
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from domain import vocabulary as vocab
from skincare.core.errors import DomainError
from skincare.core.i18n import speaks_to

from . import messages as msg
from . import selectors, stats
from .models import METRIC_NAME_MAX, Comparison, Milestone, ProgressEntry, ProgressMetric, ShareLink, ShareReport

logger = logging.getLogger(__name__)

SHARE_DEFAULT_DAYS = 7
SHARE_MAX_DAYS = 30
STREAK_LENGTHS = {7: Milestone.Kind.STREAK_7, 30: Milestone.Kind.STREAK_30}
IMPROVEMENT_STEP = 10
MILESTONE_LOOKBACK_DAYS = 120


# --- entries -----------------------------------------------------------------------------------
def entry_create(
    *,
    user,
    date: date | None = None,
    analysis_id=None,
    photo: bytes | None = None,
    rating: int | None = None,
    notes: str = "",
) -> ProgressEntry:
    """Log a day. A photo becomes an analysis through the analysis service (queued, 202 semantics there)."""
    today = selectors.user_today(user)
    day = date or today
    if day > today:
        raise DomainError(
            _("An entry cannot be dated in the future."), code="date_in_future", errors={"date": [_("In the future.")]}
        )
    if rating is not None and not 1 <= int(rating) <= 5:
        raise DomainError(_("Rate the day from 1 to 5."), code="invalid_rating", errors={"rating": [_("From 1 to 5.")]})
    if analysis_id and photo:
        raise DomainError(
            _("Send either an existing analysis or a new photo, not both."),
            code="analysis_and_photo",
            errors={"photo": [_("Send either `analysis` or `photo`.")]},
        )
    analysis = None
    if analysis_id:
        analysis = selectors.analysis_get(user=user, analysis_id=analysis_id)
    with transaction.atomic():
        if photo:
            from analysis.services import analysis_create

            analysis = analysis_create(user=user, data=photo)
        entry = ProgressEntry.objects.create(
            user=user, date=day, analysis=analysis, rating=rating, notes=(notes or "").strip()
        )
        user_id = user.pk
        pending = str(analysis.pk) if analysis is not None and analysis.status != "done" else None
        transaction.on_commit(lambda: _enqueue_detection(user_id, pending))
    return entry


def _enqueue_detection(user_id, wait_for: str | None = None) -> None:
    from .tasks import detect_milestones_task

    detect_milestones_task.delay(str(user_id), wait_for=wait_for)


def entry_delete(*, entry: ProgressEntry) -> None:
    entry.delete()


# --- self-logged metrics -----------------------------------------------------------------------
METRIC_VALUE_LIMIT = 1_000_000  # a person's own scale (0-10, a count, hours of sleep...), never astronomical
_METRIC_SEPARATORS = re.compile(r"[\s\-./]+")
_METRIC_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def metric_name_normalise(name: str) -> str:
    """ "Skin clarity", "skin-clarity", "skinClarity"... → "skin_clarity"; DomainError when nothing usable is left."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", str(name or "").strip())  # camelCase → snake_case
    text = _METRIC_SEPARATORS.sub("_", text.lower()).strip("_")
    text = re.sub(r"_+", "_", text)
    if not text or len(text) > METRIC_NAME_MAX or not _METRIC_NAME.match(text):
        raise DomainError(
            _("Name the metric with letters, digits and underscores (at most %(max)d), e.g. skin_clarity.")
            % {"max": METRIC_NAME_MAX},
            code="invalid_metric",
            errors={"metric": [_("Letters, digits and underscores, starting with a letter.")]},
        )
    return text


def metric_record(
    *, user, name: str, value: float, notes: str = "", date: date | None = None, now=None
) -> ProgressMetric:
    """Log one value of a named metric for a day (default: the person's today)."""
    name = metric_name_normalise(name)
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(
            _("The value is a number."), code="invalid_value", errors={"value": [_("A number.")]}
        ) from exc
    if not math.isfinite(number) or abs(number) > METRIC_VALUE_LIMIT:
        raise DomainError(
            _("The value is a number between -%(limit)s and %(limit)s.") % {"limit": f"{METRIC_VALUE_LIMIT:,}"},
            code="invalid_value",
            errors={"value": [_("Out of range.")]},
        )
    today = selectors.user_today(user)
    day = date or today
    if day > today:
        raise DomainError(
            _("A metric cannot be dated in the future."), code="date_in_future", errors={"date": [_("In the future.")]}
        )
    return ProgressMetric.objects.create(
        user=user,
        name=name,
        value=number,
        notes=(notes or "").strip()[:2000],
        date=day,
        recorded_at=now or timezone.now(),
    )


# --- milestones --------------------------------------------------------------------------------
def milestone_record(
    *,
    user,
    kind: str,
    key: str,
    title: str = "",
    data: dict | None = None,
    notify: bool = True,
    url: str = "",
) -> tuple[Milestone, bool]:
    """Record a milestone once (unique per user, kind and key) and celebrate it with a notification.

    Returns (milestone, created); a second call with the same key changes nothing and sends nothing.
    """
    existing = Milestone.objects.filter(user=user, kind=kind, key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            milestone = Milestone.objects.create(
                user=user, kind=kind, key=key[:120], title=title[:200], data=data or {}
            )
            if notify:
                _celebrate(milestone, url=url)
    except IntegrityError:  # a concurrent detection recorded it first
        return Milestone.objects.get(user=user, kind=kind, key=key[:120]), False
    return milestone, True


def _celebrate(milestone: Milestone, *, url: str = "") -> None:
    try:
        from accounts.services import notification_create
    except ImportError:  # pragma: no cover - the accounts app ships it
        return
    notification_create(
        user=milestone.user,
        kind="milestone",
        title=milestone.title_text or gettext("A new milestone"),  # in the person's language (speaks_to)
        body=milestone.body_text,
        data={"milestone": str(milestone.pk), "kind": milestone.kind, "key": milestone.key},
        url=url or reverse("progress:dashboard"),
    )
    Milestone.objects.filter(pk=milestone.pk).update(notified_at=timezone.now())


@speaks_to("user")  # milestone titles and their notifications in the person's language (also from the nightly task)
def detect_milestones(*, user) -> list[Milestone]:
    """Find streaks (7 and 30 days of logging or of a complete routine) and 10-point improvements.

    Idempotent: each milestone has a stable key (the streak's first day, the concern and level), so
    running this after every log and again every night records and celebrates each one once.
    """
    today = selectors.user_today(user)
    since = today - timedelta(days=MILESTONE_LOOKBACK_DAYS)
    created: list[Milestone] = []
    log_days = list(
        ProgressEntry.objects.owned_by(user).filter(date__gte=since).values_list("date", flat=True).distinct()
    )
    routine_days = selectors.adherence(user=user, start=since, end=today)["complete_days"]
    sources = {"log": log_days, "routine": routine_days}
    # Titles and bodies are stored as message ids and params (pages render them in the reader's language: the
    # Milestone's title_text/body_text); the English text stays beside them for staff and old readers.
    for source, days in sources.items():
        title, body = msg.STREAK_TITLES[source], msg.STREAK_BODIES[source]
        for length, kind in STREAK_LENGTHS.items():
            for start in stats.runs_of_at_least(days, length):
                params = {"days": length}
                m, new = milestone_record(
                    user=user,
                    kind=kind,
                    key=f"{source}:{start.isoformat()}",
                    title=title % params,
                    data={
                        "source": source,
                        "start": start.isoformat(),
                        "days": length,
                        "body": body % params,
                        "title_msgid": title,
                        "body_msgid": body,
                        "params": params,
                    },
                )
                if new:
                    created.append(m)
    analyses = selectors.done_analyses(user=user)
    first = analyses.first()
    latest = analyses.last()
    if first is not None and latest is not None and first.pk != latest.pk:
        for key, level, delta in stats.improvements(first.concerns or [], latest.concerns or [], IMPROVEMENT_STEP):
            label = vocab.concern_label(key)
            # the concern is stored as its key and rendered as its name in the reader's language
            params = {"concern": key, "level": level, "first": _score(first, key), "latest": _score(latest, key)}
            english = {**params, "concern": label}
            m, new = milestone_record(
                user=user,
                kind=Milestone.Kind.CONCERN_IMPROVED,
                key=f"{key}:{level}",
                title=msg.IMPROVED_TITLE % english,
                data={
                    "concern": key,
                    "level": level,
                    "delta": delta,
                    "first_analysis": str(first.pk),
                    "latest_analysis": str(latest.pk),
                    "body": msg.IMPROVED_BODY % english,
                    "title_msgid": msg.IMPROVED_TITLE,
                    "body_msgid": msg.IMPROVED_BODY,
                    "params": params,
                },
                url=reverse("progress:compare") + f"?before={first.pk}&after={latest.pk}",
            )
            if new:
                created.append(m)
    return created


def _score(analysis, key: str):
    return next((c.get("score") for c in analysis.concerns or [] if c.get("key") == key), None)


# --- before/after comparison -------------------------------------------------------------------
def _require_done(analysis, field: str) -> None:
    if analysis.status != "done":
        raise DomainError(
            _("Both analyses must be finished before they can be compared."),
            code="analysis_not_done",
            errors={
                field: [_("This analysis is %(status)s.") % {"status": str(analysis.get_status_display()).lower()}]
            },
        )


def _read_rgb(name: str):
    import numpy as np
    from PIL import Image, ImageOps

    with default_storage.open(name, "rb") as fh:
        img = Image.open(io.BytesIO(fh.read()))
        img = ImageOps.exif_transpose(img).convert("RGB")
    return np.asarray(img)


def comparison_get_or_create(*, user, before, after) -> Comparison:
    """The cached alignment of `after` onto `before`, computed (and its image stored) the first time."""
    existing = Comparison.objects.filter(before=before, after=after).first()
    if existing is not None:
        return existing
    comparison = Comparison(user=user, before=before, after=after)
    content = None
    try:
        from .alignment import AlignmentError, align_images

        if not before.has_photo or not after.has_photo:
            raise AlignmentError(PHOTO_DELETED)
        if not before.landmarks or not after.landmarks:
            raise AlignmentError(msg.LANDMARKS_MISSING)
        before_img = _read_rgb(before.image.name)
        after_img = _read_rgb(after.image.name)
        h, w = before_img.shape[:2]
        aligned, result = align_images(after_img, after.landmarks, before.landmarks, (w, h))
        comparison.transform = result.as_dict()["matrix"]
        comparison.residual_px = round(result.residual_px, 3)
        comparison.landmarks_used = result.points_used
        content = _encode_jpeg(aligned)
    except AlignmentError as exc:
        comparison.failure = str(exc)[:200]
    except (OSError, ValueError) as exc:
        logger.warning("Alignment of %s onto %s failed: %s", after.pk, before.pk, exc)
        comparison.failure = msg.UNREADABLE[:200]
    try:
        with transaction.atomic():
            if content is not None:
                comparison.aligned_image.save("aligned.jpg", ContentFile(content), save=False)
            comparison.save()
    except IntegrityError:  # computed concurrently: keep the first, drop our file
        if comparison.aligned_image:
            default_storage.delete(comparison.aligned_image.name)
        return Comparison.objects.get(before=before, after=after)
    return comparison


PHOTO_DELETED = msg.PHOTO_DELETED  # stored in English (Comparison.failure); shown with messages.failure_text


def analysis_photo_deleted(*, analysis_ids: list) -> list[str]:
    """Analyses' photos are being deleted (privacy.services.photos_delete, in its transaction): their aligned
    comparisons lose their image (their numbers stay) and the shared cards drawn from them are dropped.
    Returns the aligned images' names, for the caller to shred."""
    from django.core.cache import cache
    from django.db.models import Q

    pairs = Comparison.objects.filter(Q(before_id__in=analysis_ids) | Q(after_id__in=analysis_ids))
    names = [n for n in pairs.exclude(aligned_image="").values_list("aligned_image", flat=True) if n]
    if names:
        pairs.exclude(aligned_image="").update(aligned_image=None, failure=PHOTO_DELETED)
    shares = ShareLink.objects.filter(
        Q(analysis_id__in=analysis_ids) | Q(before_id__in=analysis_ids) | Q(after_id__in=analysis_ids)
    )
    keys = [f"progress:card:{pk}" for pk in shares.values_list("pk", flat=True)]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))
    return names


def _encode_jpeg(rgb) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def compare(*, user, before_id, after_id) -> dict:
    """Per-concern deltas, the overall trend and the aligned comparison of two of the user's analyses."""
    if str(before_id) == str(after_id):
        raise DomainError(
            _("Pick two different analyses."), code="same_analysis", errors={"after": [_("Same as `before`.")]}
        )
    before = selectors.analysis_get(user=user, analysis_id=before_id)
    after = selectors.analysis_get(user=user, analysis_id=after_id)
    _require_done(before, "before")
    _require_done(after, "after")
    return comparison_payload(user=user, before=before, after=after)


def comparison_payload(*, user, before, after) -> dict:
    deltas = stats.concern_deltas(before.concerns or [], after.concerns or [])
    comparison = comparison_get_or_create(user=user, before=before, after=after)
    days = (after.created_at - before.created_at).total_seconds() / 86400
    return {
        "before": before,
        "after": after,
        "days_between": round(days, 1),
        "concerns": deltas,
        "overall": stats.overall_trend(deltas, before.overall_score, after.overall_score),
        "comparison": comparison,
    }


# --- sharing -----------------------------------------------------------------------------------
def share_create(
    *,
    user,
    analysis_id=None,
    before_id=None,
    after_id=None,
    expires_in_days: int = SHARE_DEFAULT_DAYS,
) -> ShareLink:
    """A public, unguessable, expiring link to one analysis or to a before/after comparison."""
    from skincare.core.config import feature_enabled

    if not feature_enabled("sharing"):
        raise DomainError(_("Sharing is turned off on this server."), code="feature_disabled", status_code=403)
    if not 1 <= int(expires_in_days) <= SHARE_MAX_DAYS:
        raise DomainError(
            _("A share link lives from 1 to %(max)d days.") % {"max": SHARE_MAX_DAYS},
            code="invalid_expiry",
            errors={"expires_in_days": [_("From 1 to %(max)d.") % {"max": SHARE_MAX_DAYS}]},
        )
    expires_at = timezone.now() + timedelta(days=int(expires_in_days))
    if analysis_id and (before_id or after_id):
        raise DomainError(_("Share an analysis or a comparison, not both."), code="share_target_ambiguous")
    if analysis_id:
        analysis = selectors.analysis_get(user=user, analysis_id=analysis_id)
        _require_done(analysis, "analysis")
        return ShareLink.objects.create(
            user=user, kind=ShareLink.Kind.ANALYSIS, analysis=analysis, expires_at=expires_at
        )
    if before_id and after_id:
        payload = compare(user=user, before_id=before_id, after_id=after_id)  # validates and aligns once
        return ShareLink.objects.create(
            user=user,
            kind=ShareLink.Kind.COMPARE,
            before=payload["before"],
            after=payload["after"],
            expires_at=expires_at,
        )
    raise DomainError(
        _("Say what to share: `analysis`, or `compare` with `before` and `after`."),
        code="share_target_missing",
        errors={"analysis": [_("Give an analysis id or a comparison.")]},
    )


def share_revoke(*, share: ShareLink) -> ShareLink:
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        ShareLink.objects.filter(pk=share.pk, revoked_at__isnull=True).update(revoked_at=share.revoked_at)
    return share


def share_record_view(*, share: ShareLink) -> None:
    ShareLink.objects.filter(pk=share.pk).update(view_count=F("view_count") + 1)


def share_report_create(*, token: str, reason: str, details: str = "") -> ShareReport:
    share = selectors.share_get_public(token=token)
    if reason not in ShareReport.Reason.values:
        raise DomainError(
            _("Pick one of the listed reasons."), code="invalid_reason", errors={"reason": [_("Unknown reason.")]}
        )
    return ShareReport.objects.create(share=share, reason=reason, details=(details or "").strip()[:2000])


@transaction.atomic
def share_hide(*, share: ShareLink, reason: str, moderator=None) -> ShareLink:
    """Moderation: take a shared page down (404 for everyone) and close its open reports."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the page is hidden."), code="reason_required")
    now = timezone.now()
    ShareLink.objects.filter(pk=share.pk).update(hidden=True, hidden_reason=reason, hidden_at=now)
    share.reports.filter(status=ShareReport.Status.OPEN).update(
        status=ShareReport.Status.HIDDEN, reviewer=moderator, reviewed_at=now, resolution_note=reason
    )
    share.refresh_from_db()
    return share


@transaction.atomic
def share_restore(*, share: ShareLink, reason: str, moderator=None) -> ShareLink:
    """Moderation: put a hidden page back and dismiss its open reports."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the page is restored."), code="reason_required")
    now = timezone.now()
    ShareLink.objects.filter(pk=share.pk).update(hidden=False, hidden_reason=f"Restored: {reason}", hidden_at=None)
    share.reports.filter(status=ShareReport.Status.OPEN).update(
        status=ShareReport.Status.DISMISSED, reviewer=moderator, reviewed_at=now, resolution_note=reason
    )
    share.refresh_from_db()
    return share


@transaction.atomic
def report_dismiss(*, report: ShareReport, note: str, moderator=None) -> ShareReport:
    ShareReport.objects.filter(pk=report.pk).update(
        status=ShareReport.Status.DISMISSED, reviewer=moderator, reviewed_at=timezone.now(), resolution_note=note
    )
    report.refresh_from_db()
    return report


ALIGNED_FOLDER = "progress/aligned"
SWEEP_BATCH = 1000


def aligned_files_sweep(*, limit: int = SWEEP_BATCH) -> int:
    """Delete aligned images whose comparison is gone (its analysis was deleted). Bounded; returns the count."""
    try:
        _dirs, names = default_storage.listdir(ALIGNED_FOLDER)
    except (FileNotFoundError, NotImplementedError, OSError):
        return 0
    candidates = [f"{ALIGNED_FOLDER}/{n}" for n in names][: limit * 5]
    kept = set(Comparison.objects.filter(aligned_image__in=candidates).values_list("aligned_image", flat=True))
    removed = 0
    for name in candidates:
        if name in kept:
            continue
        default_storage.delete(name)
        removed += 1
        if removed >= limit:
            break
    return removed
