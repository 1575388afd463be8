"""Factories and helpers of the progress tests: finished analyses with real photos and landmarks."""

from __future__ import annotations

import io
from datetime import timedelta

import factory
import numpy as np
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from accounts.tests.factories import UserFactory
from analysis.models import SkinAnalysis
from progress.models import Milestone, ProgressEntry, ShareLink

KEYS = ["acne", "redness", "pores", "texture", "wrinkles"]


def jpeg(rgb: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=92)
    return buf.getvalue()


def astronaut() -> np.ndarray:
    from skimage import data

    return data.astronaut()


def synthetic_landmarks(seed: int = 7) -> np.ndarray:
    """478 points over the astronaut's face (a stand-in for FaceMesh output)."""
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(160, 290, 478), rng.uniform(60, 200, 478)])


def concerns(scores: dict[str, int]) -> list[dict]:
    return [
        {
            "key": k,
            "raw": 0.5,
            "unit": "a.u.",
            "score": v,
            "severity": "mild",
            "confidence": 0.8,
            "regions": {},
            "explanation": f"{k} measured",
        }
        for k, v in scores.items()
    ]


def make_analysis(
    user,
    *,
    scores: dict[str, int] | None = None,
    overall: int | None = 60,
    days_ago: float = 0,
    image: np.ndarray | None = None,
    landmarks=None,
    status: str = "done",
) -> SkinAnalysis:
    img = astronaut() if image is None else image
    h, w = img.shape[:2]
    analysis = SkinAnalysis(
        user=user,
        status=status,
        concerns=concerns(scores or dict.fromkeys(KEYS, 60)) if status == "done" else [],
        overall_score=overall if status == "done" else None,
        landmarks=(np.asarray(landmarks).tolist() if landmarks is not None else None),
        face_box=[160, 60, 130, 140],
        image_width=w,
        image_height=h,
        completed_at=timezone.now() if status == "done" else None,
    )
    analysis.image.save("photo.jpg", ContentFile(jpeg(img)), save=False)
    analysis.save()
    if days_ago:
        when = timezone.now() - timedelta(days=days_ago)
        SkinAnalysis.objects.filter(pk=analysis.pk).update(created_at=when, completed_at=when)
        analysis.refresh_from_db()
    return analysis


class ProgressEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressEntry

    user = factory.SubFactory(UserFactory)
    date = factory.LazyFunction(lambda: timezone.now().date())
    rating = 3
    notes = ""


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    user = factory.SubFactory(UserFactory)
    kind = Milestone.Kind.CUSTOM
    key = factory.Sequence(lambda n: f"custom-{n}")
    title = factory.Sequence(lambda n: f"Milestone {n}")


class ShareLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShareLink

    user = factory.SubFactory(UserFactory)
    kind = ShareLink.Kind.ANALYSIS
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
