from __future__ import annotations

import factory
from django.core.files.base import ContentFile

from accounts.tests.factories import UserFactory
from analysis.models import Feedback, Lesion, ModelVersion, SkinAnalysis
from domain.vocabulary import MEASURED_CONCERN_KEYS

from .images import encode


def _small_jpeg() -> bytes:
    import numpy as np

    return encode(np.full((32, 32, 3), 180, dtype=np.uint8))


CONCERNS = list(MEASURED_CONCERN_KEYS)


class SkinAnalysisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkinAnalysis

    user = factory.SubFactory(UserFactory)
    status = SkinAnalysis.Status.QUEUED
    image = factory.LazyFunction(lambda: ContentFile(_small_jpeg(), name="photo.jpg"))
    image_width = 32
    image_height = 32

    class Params:
        done = factory.Trait(
            status=SkinAnalysis.Status.DONE,
            overall_score=70,
            skin_type="normal",
            skin_type_confidence=0.6,
            skin_type_source="measures",
            face_box=[4, 4, 20, 20],
            quality={"brightness": 60.0, "sharpness": 100.0, "face_size": 0.6, "ok": True, "issues": []},
            concerns=factory.LazyFunction(
                lambda: [
                    {
                        "key": k,
                        "raw": 1.0,
                        "unit": "a.u.",
                        "score": 70,
                        "severity": "mild",
                        "confidence": 0.8,
                        "regions": {"forehead": 70},
                        "explanation": f"{k} measured",
                    }
                    for k in CONCERNS
                ]
            ),
        )


class LesionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesion

    analysis = factory.SubFactory(SkinAnalysisFactory, done=True)
    x, y, w, h = 5, 6, 3, 3
    kind = "inflamed"
    confidence = 0.8
    region = "left_cheek"


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    analysis = factory.SubFactory(SkinAnalysisFactory, done=True)
    user = factory.SelfAttribute("analysis.user")
    rating = 4


# Held-out metrics that beat the trivial baselines of the same run (what activation requires, ml.model_gate).
PASSING_METRICS = {
    "skin_type_accuracy": 0.8,
    "skin_type_macro_f1": 0.78,
    "baseline_skin_type_accuracy": 0.4,
    "baseline_skin_type_macro_f1": 0.19,
    "n_val_skin_type": 40,
    "age_mae": 6.1,
    "baseline_age_mae": 11.3,
    "n_val_age": 40,
    "n_train": 160,
    "n_val": 40,
}


class ModelVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModelVersion

    name = factory.Sequence(lambda n: f"model-{n}")
    backbone = "resnet18"
    checkpoint_path = "/nonexistent.pt"
    metrics = factory.LazyFunction(lambda: dict(PASSING_METRICS))
