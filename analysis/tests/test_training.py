"""Learned models end to end: train on a small generated dataset through the command, register, activate
(only when the held-out metrics beat the trivial baseline of the same run), analyse a real face with it
loaded in the worker path; without a usable model no age is invented."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from PIL import Image

from analysis import services, tasks
from analysis.models import ModelVersion, SkinAnalysis
from skincare.core.errors import DomainError

from . import images
from .factories import SkinAnalysisFactory

pytestmark = pytest.mark.django_db
TINY = "resnet10t"
COLOURS = {"oily": (225, 180, 150), "dry": (150, 100, 80), "normal": (200, 150, 120)}
AGES = {"oily": 22, "normal": 38, "dry": 60}  # learnable from the colour, so a trained age head beats the mean


def _image(path: Path, colour, seed: int) -> None:
    rng = np.random.default_rng(seed)
    arr = np.clip(np.array(colour) + rng.normal(0, 12, (48, 48, 3)), 0, 255).astype(np.uint8)
    Image.fromarray(arr).save(path)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    """36 images in a labels.csv: skin type, age and condition all follow the colour (learnable)."""
    root = tmp_path_factory.mktemp("skin_data")
    (root / "img").mkdir()
    with (root / "labels.csv").open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["path", "skin_type", "age", "condition"])
        for k in range(36):
            label = list(COLOURS)[k % 3]
            _image(root / f"img/{k}.png", COLOURS[label], k)
            age = AGES[label] + int(np.random.default_rng(k).integers(-3, 4))
            writer.writerow([f"img/{k}.png", label, age, "acne" if label == "dry" else "clear"])
    return root


@pytest.fixture(scope="module")
def unlearnable(tmp_path_factory) -> Path:
    """Labels that do not follow the pictures: no model can beat the baselines on it."""
    root = tmp_path_factory.mktemp("noise_data")
    (root / "img").mkdir()
    with (root / "labels.csv").open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["path", "skin_type", "age", "condition"])
        for k in range(30):
            _image(root / f"img/{k}.png", (200, 150, 120), k)
            writer.writerow([f"img/{k}.png", list(COLOURS)[k % 3], 20 + (k * 7) % 50, ""])
    return root


@pytest.fixture(autouse=True)
def _fresh_predictor_cache():
    services._predictors.clear()
    yield
    services._predictors.clear()


def run(analysis) -> SkinAnalysis:
    tasks.run_analysis.delay(str(analysis.pk))
    analysis.refresh_from_db()
    return analysis


def test_without_a_model_no_age_is_invented(user):
    a = run(SkinAnalysisFactory(user=user, image=ContentFile(images.face_jpeg(), name="a.jpg")))
    assert a.status == "done"
    assert a.skin_age is None and a.conditions is None and a.model_version is None
    assert a.skin_type_source == "measures"


def test_train_register_activate_and_predict(user, dataset, tmp_path, settings, auth_client):
    settings.ML_MODELS_DIR = tmp_path
    call_command(
        "train_model",
        str(dataset),
        "--backbone",
        TINY,
        "--epochs",
        "12",
        "--image-size",
        "48",
        "--batch-size",
        "8",
        "--name",
        "tiny-v1",
        "--activate",
    )
    version = ModelVersion.objects.get(name="tiny-v1")
    assert version.is_active and version.backbone == TINY
    for head in ("skin_type", "age", "condition"):  # beaten baselines, measured in the same run, with n
        assert version.metrics[f"n_val_{head}"] >= 5
    assert version.metrics["skin_type_macro_f1"] > version.metrics["baseline_skin_type_macro_f1"]
    assert version.metrics["age_mae"] < version.metrics["baseline_age_mae"]
    assert Path(version.checkpoint_path).is_file() and Path(version.checkpoint_path).parent == tmp_path
    for key in ("skin_type_accuracy", "skin_type_macro_f1", "age_mae", "n_train", "n_val"):
        assert key in version.metrics
    assert version.metrics["n_train"] > 0 and version.metrics["n_val"] > 0
    assert 0 <= version.metrics["skin_type_accuracy"] <= 1 and version.metrics["age_mae"] >= 0
    assert set(version.labels["skin_type"]) == set(COLOURS)

    a = run(SkinAnalysisFactory(user=user, image=ContentFile(images.face_jpeg(), name="a.jpg")))
    assert a.status == "done", a.error_detail
    assert a.model_version == version
    assert a.skin_age is not None and 10 <= a.skin_age <= 100
    assert a.conditions and {c["label"] for c in a.conditions} <= {"acne", "clear"}
    assert all(0 <= c["confidence"] <= 1 for c in a.conditions)
    assert "model" in a.timings
    # The predictor is loaded once per process and reused.
    assert list(services._predictors) == [str(version.pk)]
    cached = services._predictors[str(version.pk)]
    run(SkinAnalysisFactory(user=user, image=ContentFile(images.face_jpeg(), name="b.jpg")))
    assert services._predictors[str(version.pk)] is cached

    auth_client.force_authenticate(user)
    body = auth_client.get(f"/api/v1/analysis/{a.pk}").json()
    assert body["model_version"] == "tiny-v1" and isinstance(body["skin_age"], int) and body["conditions"]

    # Roll back to no model: the next analysis has no age again.
    call_command("activate_model", "--rollback")
    b = run(SkinAnalysisFactory(user=user, image=ContentFile(images.face_jpeg(), name="c.jpg")))
    assert b.skin_age is None and b.model_version is None


def test_a_model_that_does_not_beat_the_baseline_is_registered_but_not_activated(unlearnable, tmp_path, settings):
    settings.ML_MODELS_DIR = tmp_path
    args = ["--backbone", TINY, "--epochs", "1", "--image-size", "32", "--batch-size", "8", "--name", "noise-v1"]
    with pytest.raises(CommandError, match="not activated.*does not beat"):
        call_command("train_model", str(unlearnable), *args, "--activate")
    version = ModelVersion.objects.get(name="noise-v1")
    assert not version.is_active and not ModelVersion.objects.filter(is_active=True).exists()
    with pytest.raises(CommandError, match="baseline"):
        call_command("activate_model", "noise-v1")
    with pytest.raises(DomainError) as err:
        services.model_version_activate(version=version)
    assert err.value.code == "model_not_better_than_baseline" and err.value.errors["metrics"]


def test_broken_checkpoint_falls_back_to_measures(user):
    ModelVersion.objects.create(name="broken", backbone=TINY, checkpoint_path="/nonexistent/model.pt", is_active=True)
    a = run(SkinAnalysisFactory(user=user, image=ContentFile(images.face_jpeg(), name="a.jpg")))
    assert a.status == "done" and a.skin_age is None and a.model_version is None


def test_train_model_refuses_a_missing_folder(tmp_path):
    with pytest.raises(CommandError):
        call_command("train_model", str(tmp_path / "nope"))
