"""Learned models: the torchvision shim, training on a tiny generated dataset, loading, predicting."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

import ml.compat  # noqa: F401

# isort: split

import torch

from ml.model_gate import usable_heads
from ml.models import Predictor, read_checkpoint, train
from ml.models.data import discover, split
from ml.types import ModelPrediction

# Held-out metrics that beat every baseline with enough images (as a well-trained model's would).
PASSING = {
    "skin_type_macro_f1": 0.9, "baseline_skin_type_macro_f1": 0.2, "n_val_skin_type": 30,
    "condition_macro_f1": 0.9, "baseline_condition_macro_f1": 0.3, "n_val_condition": 30,
    "age_mae": 4.0, "baseline_age_mae": 10.0, "n_val_age": 30,
}  # fmt: skip


def with_metrics(checkpoint_path: str, **metrics: Any) -> Predictor:
    """The checkpoint loaded as it is, but judged by these held-out metrics."""
    ckpt = read_checkpoint(checkpoint_path)
    ckpt["metrics"] = {**ckpt["metrics"], **metrics}
    return Predictor(ckpt, torch.device("cpu"))


TINY = "resnet10t"
COLOURS = {"oily": (225, 180, 150), "dry": (170, 120, 95), "normal": (200, 150, 120)}


def _image(path: Path, colour: tuple[int, int, int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    arr = np.clip(np.array(colour) + rng.normal(0, 12, (48, 48, 3)), 0, 255).astype(np.uint8)
    Image.fromarray(arr).save(path)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """24 images: 12 in folders (skin_type/<label>, condition/<label>) and 12 in labels.csv with ages."""
    root = tmp_path_factory.mktemp("skin_data")
    i = 0
    for label, colour in COLOURS.items():
        (root / "skin_type" / label).mkdir(parents=True)
        for _ in range(2):
            _image(root / "skin_type" / label / f"{i}.png", colour, i)
            i += 1
    for cond, colour in (("acne", (190, 90, 90)), ("clear", (200, 160, 130))):
        (root / "condition" / cond).mkdir(parents=True)
        for _ in range(3):
            _image(root / "condition" / cond / f"{i}.jpg", colour, i)
            i += 1
    (root / "csv").mkdir()
    rows = []
    for k in range(12):
        label = list(COLOURS)[k % 3]
        name = f"csv/{i}.png"
        _image(root / name, COLOURS[label], i)
        rows.append(
            {"path": name, "skin_type": label, "age": str(20 + 3 * k), "condition": "acne" if k % 4 == 0 else ""}
        )
        i += 1
    with (root / "labels.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["path", "skin_type", "age", "condition"])
        writer.writeheader()
        writer.writerows(rows)
    return root


@pytest.fixture(scope="module")
def trained(dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], list[str]]:
    out = tmp_path_factory.mktemp("ckpt") / "model.pt"
    lines: list[str] = []
    result = train(
        data_dir=str(dataset), out_path=str(out), backbone=TINY, epochs=1, image_size=64, batch_size=8, log=lines.append
    )
    return result, lines


def test_torchvision_imports_after_shim() -> None:
    import torchvision  # noqa: F401

    assert "torchvision" in sys.modules
    boxes = torch.tensor([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], dtype=torch.float32)
    keep = torch.ops.torchvision.nms(boxes, torch.tensor([0.9, 0.8, 0.7]), 0.5)
    assert keep.tolist() == [0, 2]
    assert ml.compat.nms_reference(boxes, torch.tensor([0.1, 0.8, 0.7]), 0.5).tolist() == [1, 2]


def test_discover_both_layouts(dataset: Path) -> None:
    samples = discover(str(dataset))
    assert len(samples) == 24
    assert sum(s.skin_type is not None for s in samples) == 18
    assert sum(s.condition is not None for s in samples) == 9
    assert sum(s.age is not None for s in samples) == 12
    train_s, val_s = split(samples, 0.25, seed=0)
    assert len(val_s) == 6 and len(train_s) == 18
    assert not {s.path for s in train_s} & {s.path for s in val_s}
    assert split(samples, 0.25, seed=0) == (train_s, val_s)


def test_discover_rejects_bad_manifests(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        discover(str(tmp_path))
    (tmp_path / "labels.csv").write_text("path,skin_type,age,condition\nmissing.jpg,oily,,\n")
    with pytest.raises(ValueError, match="missing"):
        discover(str(tmp_path))


def test_train_save_load_predict(trained: tuple[dict[str, Any], list[str]]) -> None:
    result, lines = trained
    out = Path(result["checkpoint"])
    assert out.is_file()
    m = result["metrics"]
    assert m["n_train"] + m["n_val"] == 24 and m["n_val"] >= 4
    for key in ("skin_type_accuracy", "skin_type_macro_f1", "condition_accuracy", "condition_macro_f1"):
        assert m[key] is None or 0.0 <= m[key] <= 1.0
    assert m["age_mae"] is not None and m["age_mae"] >= 0
    assert result["labels"]["skin_type"] == ["dry", "normal", "oily"]
    assert any("epoch 1/1" in line for line in lines)

    ckpt = read_checkpoint(str(out))
    assert ckpt["metrics"] == m and ckpt["backbone"] == TINY and ckpt["labels"] == result["labels"]

    for head in ("skin_type", "condition", "age"):  # the trivial baseline of the same run, on the same images
        assert f"n_val_{head}" in m
    assert m["baseline_skin_type_macro_f1"] is not None and 0 <= m["baseline_skin_type_accuracy"] <= 1
    assert m["baseline_age_mae"] is not None and m["baseline_age_mae"] >= 0

    predictor = Predictor.load(str(out))
    assert predictor.version == result["version"]
    assert predictor.device.type == ("cuda" if torch.cuda.is_available() else "cpu")
    assert predictor.heads == usable_heads(m)  # one epoch on 24 images: heads answer only if they beat baseline
    good = with_metrics(str(out), **PASSING)
    face = np.full((120, 100, 3), (200, 150, 120), np.uint8)
    pred = good.predict(face)
    assert isinstance(pred, ModelPrediction) and pred.version == result["version"]
    assert pred.skin_type is not None and pred.skin_type[0] in ("dry", "normal", "oily") and 0 < pred.skin_type[1] <= 1
    assert pred.skin_age is not None and 10 <= pred.skin_age <= 100
    assert 1 <= len(pred.conditions) <= 5
    assert abs(sum(p for _, p in pred.conditions) - 1.0) < 1e-3  # two classes: both in the top 5
    assert pred == good.predict(face)  # deterministic


def test_a_head_that_does_not_beat_its_baseline_predicts_none_never_zero(
    trained: tuple[dict[str, Any], list[str]],
) -> None:
    result, _ = trained
    face = np.full((120, 100, 3), (200, 150, 120), np.uint8)
    # seen: a one-epoch model with an age MAE of 36.6 years answered "skin_age: 0"
    bad_age = with_metrics(result["checkpoint"], **{**PASSING, "age_mae": 36.6, "baseline_age_mae": 11.0})
    pred = bad_age.predict(face)
    assert pred.skin_age is None and pred.skin_type is not None and pred.conditions
    untested = with_metrics(result["checkpoint"], **{k: None for k in PASSING if k.startswith("baseline_")})
    pred = untested.predict(face)
    assert pred.skin_age is None and pred.skin_type is None and pred.conditions == []


def test_heads_without_labels_stay_absent(tmp_path: Path) -> None:
    root = tmp_path / "data"
    for label, colour in list(COLOURS.items())[:2]:
        (root / "skin_type" / label).mkdir(parents=True)
        for k in range(3):
            _image(root / "skin_type" / label / f"{k}.png", colour, k)
    result = train(
        data_dir=str(root),
        out_path=str(tmp_path / "m.pt"),
        backbone=TINY,
        epochs=1,
        image_size=48,
        batch_size=4,
        log=lambda s: None,
        version="skin-v1",
    )
    assert result["metrics"]["age_mae"] is None and result["metrics"]["condition_accuracy"] is None
    assert result["labels"] == {"skin_type": ["dry", "oily"], "condition": []}
    predictor = with_metrics(str(tmp_path / "m.pt"), **PASSING)
    pred = predictor.predict(np.zeros((64, 64, 3), np.uint8))
    assert pred.skin_age is None and pred.conditions == [] and pred.skin_type is not None
    assert pred.version == "skin-v1"
    # as trained: one held-out image is no evidence, so even the skin-type head stays silent
    assert result["metrics"]["n_val_skin_type"] < 5
    assert (
        Predictor.load(str(tmp_path / "m.pt"), device="cpu").predict(np.zeros((64, 64, 3), np.uint8)).skin_type is None
    )


def test_analyze_with_predictor(trained: tuple[dict[str, Any], list[str]], astronaut: np.ndarray) -> None:
    from ml.vision import analyze

    result, _ = trained
    predictor = with_metrics(result["checkpoint"], **PASSING)
    analysed = analyze(astronaut, predictor=predictor)
    assert analysed.model is not None and analysed.model.version == result["version"]
    assert analysed.skin_type.source == "model"
    assert analysed.model.skin_type is not None and analysed.skin_type.value == analysed.model.skin_type[0]
    assert analysed.timings_ms["model"] > 0
