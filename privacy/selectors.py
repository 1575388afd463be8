"""Reads of the privacy app, each for the signed-in person only (404 for anyone else's grant)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skincare.core.errors import NotFound

from . import media, retention
from .models import (
    RETENTION_MAX_DAYS,
    DataKey,
    MediaAccess,
    PhotoRetention,
    PrivacySettings,
    StoredMedia,
    SupportGrant,
)

KIND_WORDS = {  # what was seen, as the privacy page says it
    "photo": gettext_lazy("Your photo"),
    "overlay": gettext_lazy("Your photo with the measured regions drawn on it"),
    "aligned": gettext_lazy("Your aligned before/after photo"),
    "label": gettext_lazy("Your label photo"),
}


def access_list(*, user) -> QuerySet[MediaAccess]:
    return MediaAccess.objects.filter(owner=user).order_by("-created_at", "-id")


def access_summary(*, user) -> list[dict]:
    """Per kind of viewer: how many servings, of how many images, and the last one (one query)."""
    rows = (
        MediaAccess.objects.filter(owner=user)
        .values("viewer_kind")
        .annotate(views=Count("id"), images=Count("media_name", distinct=True), last=Max("created_at"))
        .order_by("-last")
    )
    return [{**row, "label": media.kind_words(row["viewer_kind"])} for row in rows]


def grant_list(*, user) -> QuerySet[SupportGrant]:
    return SupportGrant.objects.filter(user=user).order_by("-created_at")


def grant_get(*, user, grant_id) -> SupportGrant:
    try:
        return SupportGrant.objects.get(pk=grant_id, user=user)
    except (SupportGrant.DoesNotExist, ValueError) as exc:
        raise NotFound(_("Support grant not found.")) from exc


def grants_active_for_staff(*, staff, user_id) -> QuerySet[SupportGrant]:
    return SupportGrant.objects.active().filter(staff=staff, user_id=user_id)


def privacy_settings(*, user) -> dict:
    own = PrivacySettings.objects.filter(user=user).first()
    policy = retention.policy_for(user_id=user.pk)
    site = retention.site_policy()
    return {
        "photo_retention": own.photo_retention if own else "",
        "retention_days": own.retention_days if own else None,
        "effective": {"policy": policy.kind, "days": policy.days, "source": policy.source, "label": policy.label},
        "site_default": {"policy": site.kind, "days": site.days, "label": site.label},
    }


def storage_facts(*, user) -> dict:
    """Where the files are and how they are protected, in facts the page can state plainly."""
    from analysis.models import SkinAnalysis

    files = StoredMedia.objects.filter(data_key__user=user).aggregate(n=Count("id"), size=Sum("size"))
    analyses = SkinAnalysis.objects.owned_by(user).aggregate(
        n_total=Count("id"),
        n_photo_free=Count("id", filter=Q(photo_free=True)),
        n_deleted=Count("id", filter=Q(photo_deleted_at__isnull=False, photo_free=False)),
    )
    key = DataKey.objects.filter(user=user).only("created_at", "master_key_id").first()
    bucket = getattr(settings, "AWS_STORAGE_BUCKET_NAME", "")
    return {
        "files": files["n"] or 0,
        "bytes": files["size"] or 0,
        "analyses": analyses["n_total"] or 0,
        "photo_free": analyses["n_photo_free"] or 0,
        "photos_deleted": analyses["n_deleted"] or 0,
        "where": _("an S3-compatible bucket (%(bucket)s)") % {"bucket": bucket} if bucket else _("this server's disk"),
        "key_created_at": key.created_at if key else None,
    }


def privacy_overview(*, user, request=None) -> dict:
    accesses = [
        {"record": a, "who": a.viewer_words, "what": KIND_WORDS.get(a.media_kind, a.media_kind)}
        for a in access_list(user=user)[:50]
    ]
    return {
        "settings": privacy_settings(user=user),
        "facts": storage_facts(user=user),
        "summary": access_summary(user=user),
        "accesses": accesses,
        "grants": list(grant_list(user=user)[:50]),
        "retention_choices": retention_choices(),
        "max_days": RETENTION_MAX_DAYS,
    }


PERSON_WORDS = {
    PhotoRetention.KEEP.value: gettext_lazy("Keep my photos until I delete them"),
    PhotoRetention.DAYS.value: gettext_lazy("Delete my photos after a number of days"),
    PhotoRetention.AFTER_ANALYSIS.value: gettext_lazy("Delete each photo as soon as its analysis is done"),
}


def retention_choices() -> list[tuple[str, str]]:
    """The choices in the person's words (the page), the site's default first."""
    return [("", _("As this site decides")), *((value, str(PERSON_WORDS[value])) for value in PhotoRetention.values)]
