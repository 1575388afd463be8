"""Learned models end to end: train one epoch on a tiny generated dataset through the command, register,
activate, analyse a real face with it loaded in the worker path; without a model no age is invented."""

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

from . import images
from .factories import SkinAnalysisFactory

pytestmark = pytest.mark.django_db
TINY = "resnet10t"
COLOURS = {"oily": (225, 180, 150), "dry": (170, 120, 95), "normal": (200, 150, 120)}


def _image(path: Path, colour, seed: int) -> None:
    rng = np.random.default_rng(seed)
    arr = np.clip(np.array(colour) + rng.normal(0, 12, (48, 48, 3)), 0, 255).astype(np.uint8)
    Image.fromarray(arr).save(path)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    """Folder-per-class skin types and conditions, plus a labels.csv with ages."""
    root = tmp_path_factory.mktemp("skin_data")
    i = 0
    for label, colour in COLOURS.items():
        (root / "skin_type" / label).mkdir(parents=True)
        for _ in range(3):
            _image(root / "skin_type" / label / f"{i}.png", colour, i)
            i += 1
    for cond, colour in (("acne", (190, 90, 90)), ("clear", (200, 160, 130))):
        (root / "condition" / cond).mkdir(parents=True)
        for _ in range(3):
            _image(root / "condition" / cond / f"{i}.jpg", colour, i)
            i += 1
    (root / "csv").mkdir()
    with (root / "labels.csv").open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["path", "skin_type", "age", "condition"])
        for k in range(9):
            label = list(COLOURS)[k % 3]
            _image(root / f"csv/{i}.png", COLOURS[label], i)
            writer.writerow([f"csv/{i}.png", label, 20 + 4 * k, ""])
            i += 1
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
        "1",
        "--image-size",
        "64",
        "--batch-size",
        "8",
        "--name",
        "tiny-v1",
        "--activate",
    )
    version = ModelVersion.objects.get(name="tiny-v1")
    assert version.is_active and version.backbone == TINY
    assert Path(version.checkpoint_path).is_file() and Path(version.checkpoint_path).parent == tmp_path
    for key in ("skin_type_accuracy", "skin_type_macro_f1", "age_mae", "n_train", "n_val"):
        assert key in version.metrics
    assert version.metrics["n_train"] > 0 and version.metrics["n_val"] > 0
    assert 0 <= version.metrics["skin_type_accuracy"] <= 1 and version.metrics["age_mae"] >= 0
    assert set(version.labels["skin_type"]) == set(COLOURS)

    a = run(SkinAnalysisFactory(user=user, image=ContentFile(images.face_jpeg(), name="a.jpg")))
    assert a.status == "done", a.error_detail
    assert a.model_version == version
    assert a.skin_age is not None and 0 < a.skin_age < 120
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


def test_broken_checkpoint_falls_back_to_measures(user):
    ModelVersion.objects.create(name="broken", backbone=TINY, checkpoint_path="/nonexistent/model.pt", is_active=True)
    a = run(SkinAnalysisFactory(user=user, image=ContentFile(images.face_jpeg(), name="a.jpg")))
    assert a.status == "done" and a.skin_age is None and a.model_version is None


def test_train_model_refuses_a_missing_folder(tmp_path):
    with pytest.raises(CommandError):
        call_command("train_model", str(tmp_path / "nope"))
