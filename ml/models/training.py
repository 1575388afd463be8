"""``train``: fit a timm backbone with heads on a labelled folder, evaluate on a held-out split, save."""

from __future__ import annotations

import ml.compat  # noqa: F401  (before timm/torchvision)

# isort: split

import hashlib
import math
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sklearn.metrics import accuracy_score, f1_score, mean_absolute_error
from torch import nn

from ml.models.data import Sample, discover, load_path, split
from ml.models.net import SkinNet

CHECKPOINT_FORMAT = 1
AGE_SCALE = 50.0  # ages are regressed as age / AGE_SCALE


def _device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def _batch(
    samples: list[Sample], size: int, labels: dict[str, list[str]], flip: np.ndarray | None
) -> dict[str, torch.Tensor]:
    xs = np.stack([load_path(s.path, size) for s in samples])
    if flip is not None:  # horizontal flips: faces are (roughly) symmetric
        xs[flip] = xs[flip][..., ::-1]
    st = labels.get("skin_type", [])
    cd = labels.get("condition", [])
    return {
        "x": torch.from_numpy(np.ascontiguousarray(xs)),
        "skin_type": torch.tensor([st.index(s.skin_type) if s.skin_type in st else -1 for s in samples]),
        "condition": torch.tensor([cd.index(s.condition) if s.condition in cd else -1 for s in samples]),
        "age": torch.tensor(
            [s.age / AGE_SCALE if s.age is not None else math.nan for s in samples], dtype=torch.float32
        ),
    }


def _losses(out: dict[str, torch.Tensor], batch: dict[str, torch.Tensor]) -> torch.Tensor:
    total = torch.zeros((), device=batch["x"].device)
    for task in ("skin_type", "condition"):
        if task in out:
            y = batch[task]
            keep = y >= 0
            if keep.any():
                total = total + nn.functional.cross_entropy(out[task][keep], y[keep])
    if "age" in out:
        y = batch["age"]
        keep = ~torch.isnan(y)
        if keep.any():
            total = total + nn.functional.smooth_l1_loss(out["age"][keep].squeeze(1), y[keep], beta=0.1)
    return total


@torch.inference_mode()
def evaluate(
    model: SkinNet, samples: list[Sample], size: int, labels: dict[str, list[str]], batch_size: int
) -> dict[str, float | None]:
    """Accuracy and macro-F1 (scikit-learn) for the class heads, MAE in years for the age head."""
    device = next(model.parameters()).device
    model.eval()
    preds: dict[str, list[int]] = {"skin_type": [], "condition": []}
    truth: dict[str, list[int]] = {"skin_type": [], "condition": []}
    age_p: list[float] = []
    age_t: list[float] = []
    for i in range(0, len(samples), batch_size):
        b = _batch(samples[i : i + batch_size], size, labels, None)
        out = model(b["x"].to(device))
        for task in ("skin_type", "condition"):
            if task in out:
                keep = b[task] >= 0
                preds[task] += out[task].argmax(1).cpu()[keep].tolist()
                truth[task] += b[task][keep].tolist()
        if "age" in out:
            keep = ~torch.isnan(b["age"])
            age_p += (out["age"].squeeze(1).cpu()[keep] * AGE_SCALE).tolist()
            age_t += (b["age"][keep] * AGE_SCALE).tolist()
    metrics: dict[str, float | None] = {}
    for task in ("skin_type", "condition"):
        if truth[task]:
            metrics[f"{task}_accuracy"] = round(float(accuracy_score(truth[task], preds[task])), 4)
            metrics[f"{task}_macro_f1"] = round(
                float(
                    f1_score(
                        truth[task],
                        preds[task],
                        average="macro",
                        labels=list(range(len(labels[task]))),
                        zero_division=0,
                    )
                ),
                4,
            )
        else:
            metrics[f"{task}_accuracy"] = None
            metrics[f"{task}_macro_f1"] = None
    metrics["age_mae"] = round(float(mean_absolute_error(age_t, age_p)), 3) if age_t else None
    for task in ("skin_type", "condition"):
        metrics[f"n_val_{task}"] = len(truth[task])
    metrics["n_val_age"] = len(age_t)
    return metrics


def baselines(train_s: list[Sample], val_s: list[Sample], labels: dict[str, list[str]]) -> dict[str, float | None]:
    """Trivial baselines on the same held-out images: the training split's majority class for each class
    head (accuracy, macro-F1 over all labels) and its mean age for the age head (MAE in years)."""
    out: dict[str, float | None] = {}
    for task in ("skin_type", "condition"):
        names = labels.get(task, [])
        train_y = [getattr(s, task) for s in train_s if getattr(s, task) in names]
        val_y = [names.index(getattr(s, task)) for s in val_s if getattr(s, task) in names]
        if not train_y or not val_y:
            out[f"baseline_{task}_accuracy"] = None
            out[f"baseline_{task}_macro_f1"] = None
            continue
        majority = names.index(max(sorted(set(train_y)), key=train_y.count))
        pred = [majority] * len(val_y)
        out[f"baseline_{task}_accuracy"] = round(float(accuracy_score(val_y, pred)), 4)
        out[f"baseline_{task}_macro_f1"] = round(
            float(f1_score(val_y, pred, average="macro", labels=list(range(len(names))), zero_division=0)), 4
        )
    train_age = [s.age for s in train_s if s.age is not None]
    val_age = [s.age for s in val_s if s.age is not None]
    if train_age and val_age:
        mean_age = float(np.mean(train_age))
        out["baseline_age_mae"] = round(float(mean_absolute_error(val_age, [mean_age] * len(val_age))), 3)
    else:
        out["baseline_age_mae"] = None
    return out


def train(
    *,
    data_dir: str,
    out_path: str,
    backbone: str = "resnet18",
    epochs: int = 5,
    image_size: int = 224,
    batch_size: int = 32,
    val_fraction: float = 0.2,
    seed: int = 0,
    lr: float = 1e-3,
    log: Callable[[str], Any] = print,
    version: str | None = None,
) -> dict[str, Any]:
    """Train on ``data_dir`` (see ml/README.md for the layouts), save a checkpoint at ``out_path``.  Returns
    ``{"checkpoint", "version", "metrics": {skin_type_accuracy, skin_type_macro_f1, condition_accuracy,
    condition_macro_f1, age_mae, n_train, n_val, n_val_<head>, baseline_*}, "labels": {...}}``. Metrics of heads
    without labels are None. The ``baseline_*`` metrics are the trivial predictors (majority class, mean age) on
    the same held-out images: ``ml.model_gate`` compares them. Weights start from scratch
    (``pretrained=False``): nothing is downloaded. ``version`` names the checkpoint (default: ``<backbone>-<UTC
    time>-<weights hash>``); every prediction of the checkpoint carries it.
    """
    t0 = time.perf_counter()
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    samples = discover(data_dir)
    train_s, val_s = split(samples, val_fraction, seed)
    labels = {
        "skin_type": sorted({s.skin_type for s in samples if s.skin_type}),
        "condition": sorted({s.condition for s in samples if s.condition}),
    }
    has_age = any(s.age is not None for s in samples)
    model = SkinNet(backbone, len(labels["skin_type"]), has_age, len(labels["condition"])).to(_device())
    device = next(model.parameters()).device
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    steps = max(1, epochs * math.ceil(len(train_s) / batch_size))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    log(
        f"training {backbone} on {len(train_s)} images ({len(val_s)} held out), device {device}, "
        f"heads: {', '.join(model.heads.keys()) or 'none'}"
    )
    for epoch in range(epochs):
        model.train()
        order = rng.permutation(len(train_s))
        running, n = 0.0, 0
        for i in range(0, len(order), batch_size):
            chunk = [train_s[j] for j in order[i : i + batch_size]]
            if len(chunk) < 2 and len(train_s) >= 2:
                continue  # batch norm needs two images
            flip = rng.random(len(chunk)) < 0.5
            b = _batch(chunk, image_size, labels, flip)
            out = model(b["x"].to(device))
            loss = _losses(out, {k: v.to(device) for k, v in b.items()})
            opt.zero_grad(set_to_none=True)
            if loss.requires_grad:
                loss.backward()
                opt.step()
            sched.step()
            running += float(loss.detach()) * len(chunk)
            n += len(chunk)
        log(f"epoch {epoch + 1}/{epochs}: loss {running / max(n, 1):.4f}")
    metrics: dict[str, Any] = evaluate(model, val_s, image_size, labels, batch_size) if val_s else {
        "skin_type_accuracy": None, "skin_type_macro_f1": None, "condition_accuracy": None,
        "condition_macro_f1": None, "age_mae": None, "n_val_skin_type": 0, "n_val_condition": 0, "n_val_age": 0,
    }  # fmt: skip
    metrics.update(baselines(train_s, val_s, labels))
    metrics["n_train"] = len(train_s)
    metrics["n_val"] = len(val_s)
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    digest = hashlib.sha256()
    for k in sorted(state):
        digest.update(k.encode())
        digest.update(state[k].numpy().tobytes())
    created = datetime.now(UTC)
    version = version or f"{backbone}-{created:%Y%m%d%H%M%S}-{digest.hexdigest()[:8]}"
    checkpoint = {
        "format": CHECKPOINT_FORMAT,
        "version": version,
        "backbone": backbone,
        "image_size": image_size,
        "labels": labels,
        "has_age": has_age,
        "age_scale": AGE_SCALE,
        "metrics": metrics,
        "created_at": created.isoformat(),
        "train_seconds": round(time.perf_counter() - t0, 2),
        "state_dict": state,
    }
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    torch.save(checkpoint, out_path)
    log(f"saved {out_path} ({version}): {metrics}")
    return {"checkpoint": out_path, "version": version, "metrics": metrics, "labels": labels, "has_age": has_age}
