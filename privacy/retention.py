"""Retention: how long a person's photos are kept, and the sweep that deletes the expired ones.

The policy is the person's choice (PrivacySettings) or, without one, the site's default that staff set in the
admin (SiteConfig, read through skincare.core.config). Nothing is precomputed per photo: the sweep asks the
database, policy by policy, for photos past their time, so a changed choice (the person's or the site's)
applies at the next sweep to every photo, old ones included.

What "deleting a photo" removes: the photo, its overlay and the aligned comparisons made from it, files and keys
(crypto-shredding). What stays: every score, the lesion boxes, the landmarks and regions (the face map is drawn
from them), and the date the photo was deleted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import PhotoRetention, PrivacySettings

FINISHED = ("done", "failed")  # a photo being analysed is never swept


@dataclass(frozen=True)
class Policy:
    kind: str  # PhotoRetention
    days: int | None
    source: str  # "you" or "site"

    @property
    def label(self) -> str:
        """The policy in words, in the active language."""
        if self.kind == PhotoRetention.DAYS:
            return ngettext(
                "Photos are deleted %(count)d day after they were taken",
                "Photos are deleted %(count)d days after they were taken",
                self.days or 0,
            ) % {"count": self.days or 0}
        if self.kind == PhotoRetention.AFTER_ANALYSIS:
            return _("Each photo is deleted as soon as its analysis is done")
        return _("Photos are kept until you delete them")


def site_policy() -> Policy:
    from skincare.core.config import get_config

    config = get_config()
    kind = config.photo_retention or PhotoRetention.KEEP
    return Policy(kind=kind, days=config.photo_retention_days if kind == PhotoRetention.DAYS else None, source="site")


def policy_for(*, user_id) -> Policy:
    own = PrivacySettings.objects.filter(user_id=user_id).exclude(photo_retention="").first()
    if own is None:
        return site_policy()
    return Policy(
        kind=own.photo_retention,
        days=own.retention_days if own.photo_retention == PhotoRetention.DAYS else None,
        source="you",
    )


def discards_after_analysis(*, user_id) -> bool:
    return policy_for(user_id=user_id).kind == PhotoRetention.AFTER_ANALYSIS


def photo_delete_on(analysis, policy: Policy) -> datetime.datetime | None:
    """When the retention sweep will delete this analysis' photo (None: kept until deleted by hand)."""
    if not analysis.has_photo:
        return None
    if policy.kind == PhotoRetention.DAYS and policy.days:
        return analysis.created_at + datetime.timedelta(days=policy.days)
    if policy.kind == PhotoRetention.AFTER_ANALYSIS:
        return analysis.completed_at or timezone.now()
    return None


def _kept_photos() -> QuerySet:
    from analysis.models import SkinAnalysis

    return SkinAnalysis.objects.filter(photo_deleted_at__isnull=True, status__in=FINISHED).exclude(image="")


def expired(*, now: datetime.datetime, limit: int) -> list:
    """Ids of up to `limit` analyses whose photo is past its time, oldest first, policy by policy."""
    own = PrivacySettings.objects.exclude(photo_retention="")
    site = site_policy()
    follows_site = ~Q(user__privacy_settings__photo_retention__gt="")  # no row, or a row left on the default
    groups: list[Q] = [Q(user__privacy_settings__photo_retention=PhotoRetention.AFTER_ANALYSIS)]
    days_chosen = (
        own.filter(photo_retention=PhotoRetention.DAYS, retention_days__isnull=False)
        .values_list("retention_days", flat=True)
        .distinct()
        .order_by("retention_days")
    )
    for days in days_chosen:
        if days is None:
            continue
        groups.append(
            Q(
                user__privacy_settings__photo_retention=PhotoRetention.DAYS,
                user__privacy_settings__retention_days=days,
                created_at__lt=now - datetime.timedelta(days=days),
            )
        )
    if site.kind == PhotoRetention.AFTER_ANALYSIS:
        groups.append(follows_site)
    elif site.kind == PhotoRetention.DAYS and site.days:
        groups.append(follows_site & Q(created_at__lt=now - datetime.timedelta(days=site.days)))
    ids: list = []
    for group in groups:
        if len(ids) >= limit:
            break
        ids.extend(
            _kept_photos()
            .filter(group)
            .exclude(pk__in=ids)
            .order_by("created_at")
            .values_list("pk", flat=True)[: limit - len(ids)]
        )
    return ids


def sweep(*, batch_size: int = 200, max_batches: int = 10, now: datetime.datetime | None = None) -> dict:
    """Delete expired photos in bounded batches; idempotent (a photo already deleted is skipped).

    Returns {"deleted", "batches", "more"}: `more` says the last batch was full (the task runs again soon).
    """
    from .services import photos_delete

    now = now or timezone.now()
    deleted = batches = 0
    more = False
    for _batch in range(max_batches):
        ids = expired(now=now, limit=batch_size)
        if not ids:
            more = False
            break
        batches += 1
        deleted += photos_delete(analysis_ids=ids, reason="retention")
        more = len(ids) >= batch_size
        if not more:
            break
    return {"deleted": deleted, "batches": batches, "more": more}
