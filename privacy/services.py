"""Writes of the privacy app: retention choices, deleting photos (keeping the numbers), support grants."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from skincare.core import readcache
from skincare.core.errors import DomainError
from skincare.core.i18n import recipient_language

from .models import RETENTION_MAX_DAYS, PhotoRetention, PrivacySettings, SupportGrant
from .storage import media_shred

SITE_DEFAULT = ""  # a person's choice "as the site decides"
PHOTOS_BATCH = 200  # photos deleted per transaction


# --- retention ------------------------------------------------------------------------------------
@transaction.atomic
def retention_set(*, user, policy: str, days=None) -> PrivacySettings:
    """Choose how long photos are kept: keep, days (with `days`), after_analysis, or "" for the site's default.

    Applies to photos already stored too: the next retention sweep (every few minutes) deletes those past it.
    """
    policy = (policy or "").strip()
    if policy not in (SITE_DEFAULT, *PhotoRetention.values):
        raise DomainError(
            _("Choose keep, days, after_analysis, or nothing for the site's default."),
            code="invalid_retention",
            errors={"photo_retention": [_("Unknown choice.")]},
        )
    clean_days = None
    if policy == PhotoRetention.DAYS:
        try:
            clean_days = int(days)
        except (TypeError, ValueError):
            clean_days = 0
        if not 1 <= clean_days <= RETENTION_MAX_DAYS:
            raise DomainError(
                _("Say after how many days photos are deleted (1 to %(most)d).") % {"most": RETENTION_MAX_DAYS},
                code="invalid_retention_days",
                errors={"retention_days": [_("From 1 to %(most)d.") % {"most": RETENTION_MAX_DAYS}]},
            )
    row, _created = PrivacySettings.objects.select_for_update().get_or_create(user=user)
    row.photo_retention = policy
    row.retention_days = clean_days
    row.save(update_fields=["photo_retention", "retention_days", "updated_at"])
    return row


# --- deleting photos, keeping the numbers ---------------------------------------------------------
def photo_delete(*, analysis_id, reason: str = "person") -> bool:
    """Delete one analysis' photo (see `photos_delete`). False when there was no photo left to delete."""
    return photos_delete(analysis_ids=[analysis_id], reason=reason) == 1


def photos_delete(*, analysis_ids, reason: str) -> int:
    """Delete analyses' photos, their overlays and every aligned comparison made from them; keep the scores,
    lesion boxes and landmarks. One transaction for the lot: the keys go in it (the files are unreadable from its
    commit on, backups included), the bytes after it. Idempotent: photos already deleted, and analyses still
    queued or processing, are skipped. Returns how many photos were deleted."""
    from analysis.models import SkinAnalysis
    from progress.services import analysis_photo_deleted

    with transaction.atomic():
        rows = list(
            SkinAnalysis.objects.select_for_update()
            .filter(pk__in=list(analysis_ids), photo_deleted_at__isnull=True, status__in=("done", "failed"))
            .exclude(image="")
            .values_list("pk", "image", "overlay", "overlay_face")
        )
        if not rows:
            return 0
        ids = [row[0] for row in rows]
        names = [n for row in rows for n in row[1:] if n]
        names += analysis_photo_deleted(analysis_ids=ids)
        for user_id in set(SkinAnalysis.objects.filter(pk__in=ids).values_list("user_id", flat=True)):
            readcache.changed(user_id)
        SkinAnalysis.objects.filter(pk__in=ids).update(
            image="",
            overlay=None,
            overlay_face=None,
            photo_deleted_at=timezone.now(),
            photo_deleted_reason=reason[:20],
        )
        media_shred(names)
    return len(rows)


def photo_delete_for_user(*, user, analysis_id) -> bool:
    """ "Delete this photo" (page and API): the person's own analysis, 404 otherwise; 400 while it is analysed."""
    from analysis.selectors import analysis_get

    analysis = analysis_get(user=user, analysis_id=analysis_id)
    if analysis.status in ("queued", "processing"):
        raise DomainError(
            _("This photo is being analysed: delete it once the analysis is done."), code="analysis_in_progress"
        )
    return photo_delete(analysis_id=analysis.pk, reason="person")


def photos_delete_all(*, user) -> int:
    """Delete every finished analysis' photo of the person (the numbers stay). Returns how many were deleted."""
    from analysis.models import SkinAnalysis

    kept = SkinAnalysis.objects.owned_by(user).filter(photo_deleted_at__isnull=True).exclude(image="")
    ids = list(kept.values_list("pk", flat=True))
    return sum(
        photos_delete(analysis_ids=ids[i : i + PHOTOS_BATCH], reason="person") for i in range(0, len(ids), PHOTOS_BATCH)
    )


# --- support grants -------------------------------------------------------------------------------
GRANT_MESSAGES = {
    "approve": gettext_lazy(
        "Approved: that staff member can see your photos until the request expires. You can revoke it now."
    ),
    "deny": gettext_lazy("Denied: staff keep seeing your measurements only."),
    "revoke": gettext_lazy("Revoked: staff can no longer see your photos."),
}
GRANT_TOO_LATE = {
    "approve": gettext_lazy("This request can no longer be approved."),
    "deny": gettext_lazy("This request can no longer be denied."),
    "revoke": gettext_lazy("This request can no longer be revoked."),
}


def grant_request(*, staff, user, reason: str, hours: int, ip_address: str | None = None) -> SupportGrant:
    """A staff member asks to see a person's photos (the admin); the person is notified and decides."""
    from accounts.services import notification_create
    from skincare.core.audit import audit_record

    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why you need to see the photos: the person reads it."), code="reason_required")
    try:
        hours = int(hours)
    except (TypeError, ValueError):
        hours = 0
    if not 1 <= hours <= SupportGrant.MAX_HOURS:
        raise DomainError(
            _("A request lasts 1 to %(most)d hours.") % {"most": SupportGrant.MAX_HOURS}, code="invalid_grant_hours"
        )
    if not getattr(staff, "is_staff", False):
        raise DomainError(_("Only staff can ask for a support grant."), code="not_staff", status_code=403)
    if str(staff.pk) == str(user.pk):
        raise DomainError(_("You see your own photos already."), code="grant_to_self")
    with transaction.atomic():
        grant = SupportGrant.objects.create(
            user=user, staff=staff, staff_email=staff.email, reason=reason[:1000], hours=hours
        )
        audit_record(
            actor=staff,
            action="action",
            obj=grant,
            name="support_grant_request",
            detail=f"Asked to see the photos of {user.pk} for {hours} h: {reason[:200]}",
            ip_address=ip_address,
        )
        with recipient_language(user):  # the person's language, not the staff member's
            title = _("Support asks to see your photos")
            body = ngettext(
                "%(staff)s asks to see your photos for %(hours)d hour: %(reason)s. Nothing is shown unless you "
                "approve.",
                "%(staff)s asks to see your photos for %(hours)d hours: %(reason)s. Nothing is shown unless you "
                "approve.",
                hours,
            ) % {"staff": staff.email, "hours": hours, "reason": reason}
        notification_create(
            user=user,
            kind="support_grant",
            title=title,
            body=body,
            data={"grant": str(grant.pk)},
            url=reverse("privacy") + "#grants",
        )
    return grant


@transaction.atomic
def grant_decide(*, grant: SupportGrant, decision: str) -> SupportGrant:
    """The person approves (the grant runs `hours` from now), denies, or revokes an approved grant."""
    from skincare.core.audit import audit_record

    now = timezone.now()
    grant = SupportGrant.objects.select_for_update().get(pk=grant.pk)
    if decision == "approve" and grant.status == SupportGrant.Status.PENDING:
        grant.status = SupportGrant.Status.APPROVED
        grant.decided_at = now
        grant.expires_at = now + datetime.timedelta(hours=grant.hours)
    elif decision == "deny" and grant.status == SupportGrant.Status.PENDING:
        grant.status = SupportGrant.Status.DENIED
        grant.decided_at = now
    elif decision == "revoke" and grant.status in (SupportGrant.Status.APPROVED, SupportGrant.Status.PENDING):
        grant.status = SupportGrant.Status.REVOKED
        grant.revoked_at = now
    else:
        raise DomainError(
            str(GRANT_TOO_LATE[decision]) if decision in GRANT_TOO_LATE else _("Approve, deny or revoke."),
            code="invalid_grant_decision",
        )
    grant.save(update_fields=["status", "decided_at", "expires_at", "revoked_at"])
    audit_record(
        actor=grant.user,
        action="action",
        obj=grant,
        name=f"support_grant_{decision}",
        detail=f"The person {decision}d the support grant of {grant.staff_email}",
    )
    return grant
