"""Writes of labelled data the analysis app keeps for improving the measurements (beside ``Feedback``):
a person's own skin tone next to what their analysis measured.

Kept apart from ``services.py`` (the adapter to ``ml/`` and the analysis life cycle) so that the profile,
which records a tone whenever the person sets one, imports only this and the models.
"""

from __future__ import annotations

from django.db import transaction

from domain.vocabulary import SKIN_TONE_KEYS as SKIN_TONES
from skincare.core.errors import DomainError

from .models import SkinAnalysis, SkinToneLabel


@transaction.atomic
def skin_tone_label_record(*, user, label: str, source: str = "profile") -> SkinToneLabel:
    """Keep the tone a person chose beside what their latest analysis with a measured tone found."""
    if label not in SKIN_TONES:
        raise DomainError(f"Skin tone must be one of {', '.join(SKIN_TONES)}.", code="invalid_skin_tone")
    latest = (
        SkinAnalysis.objects.owned_by(user).done().filter(skin_tone_ita__isnull=False).order_by("-created_at").first()
    )
    return SkinToneLabel.objects.create(
        user=user,
        analysis=latest,
        label=label,
        measured_ita=latest.skin_tone_ita if latest else None,
        measured_hex=latest.skin_tone_hex if latest else "",
        measured_category=latest.skin_tone_category if latest else "",
        source=source[:20],
    )
