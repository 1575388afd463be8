"""``Predictor``: a loaded checkpoint that turns a face crop into a ``ModelPrediction``."""

from __future__ import annotations

import ml.compat  # noqa: F401  (before timm/torchvision)

# isort: split

import threading
from typing import Any

import numpy as np
import torch

from ml.model_gate import usable_heads
from ml.models.data import to_array
from ml.models.net import SkinNet
from ml.types import ModelPrediction

AGE_MIN, AGE_MAX = 10.0, 100.0  # a usable age head's answer is kept inside the range people can correct


def read_checkpoint(path: str, device: str | torch.device = "cpu") -> dict[str, Any]:
    """Load a checkpoint dict; ``weights_only=True`` (plain tensors, str, numbers, lists, dicts only)."""
    ckpt = torch.load(path, map_location=device, weights_only=True)
    if not isinstance(ckpt, dict) or "state_dict" not in ckpt or "backbone" not in ckpt:
        raise ValueError(f"{path} is not a skin model checkpoint")
    return ckpt


class Predictor:
    """A trained model ready for inference. Create once per process (``load``) and reuse."""

    def __init__(self, checkpoint: dict[str, Any], device: torch.device) -> None:
        self.checkpoint = checkpoint
        self.version: str = str(checkpoint["version"])
        self.backbone: str = str(checkpoint["backbone"])
        self.image_size: int = int(checkpoint["image_size"])
        self.labels: dict[str, list[str]] = {k: list(v) for k, v in checkpoint["labels"].items()}
        self.has_age: bool = bool(checkpoint["has_age"])
        self.age_scale: float = float(checkpoint.get("age_scale", 50.0))
        self.metrics: dict[str, Any] = dict(checkpoint.get("metrics", {}))
        # A head whose held-out metrics do not beat the trivial baseline (or were never measured) answers
        # None, never a number: a one-epoch age head once said "skin_age: 0".
        self.heads: set[str] = usable_heads(self.metrics)
        self.device = device
        self.model = SkinNet(
            self.backbone, len(self.labels.get("skin_type", [])), self.has_age, len(self.labels.get("condition", []))
        )
        self.model.load_state_dict(checkpoint["state_dict"])
        self.model.to(device).eval()
        self._lock = threading.Lock()

    @classmethod
    def load(cls, checkpoint_path: str, device: str | None = None) -> Predictor:
        """Load ``checkpoint_path`` on ``device`` (default: cuda when available, else cpu)."""
        dev = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        return cls(read_checkpoint(checkpoint_path, "cpu"), dev)

    @torch.inference_mode()
    def forward(self, batch: np.ndarray) -> dict[str, torch.Tensor]:
        """Raw head outputs for a float32 NCHW batch (already normalised)."""
        x = torch.from_numpy(batch).to(self.device)
        with self._lock:
            return {k: v.float().cpu() for k, v in self.model(x).items()}

    def predict_many(self, face_crops: list[np.ndarray]) -> list[ModelPrediction]:
        batch = np.stack([to_array(c, self.image_size) for c in face_crops])
        out = self.forward(batch)
        preds = []
        for i in range(len(face_crops)):
            skin_type = None
            if "skin_type" in out and "skin_type" in self.heads:
                p = torch.softmax(out["skin_type"][i], 0)
                j = int(p.argmax())
                skin_type = (self.labels["skin_type"][j], round(float(p[j]), 4))
            age = None
            if "age" in out and "age" in self.heads:
                age = round(float(np.clip(float(out["age"][i, 0]) * self.age_scale, AGE_MIN, AGE_MAX)), 1)
            conditions: list[tuple[str, float]] = []
            if "condition" in out and "condition" in self.heads:
                p = torch.softmax(out["condition"][i], 0)
                top = torch.argsort(p, descending=True, stable=True)[:5]
                conditions = [(self.labels["condition"][int(j)], round(float(p[j]), 4)) for j in top]
            preds.append(
                ModelPrediction(version=self.version, skin_type=skin_type, skin_age=age, conditions=conditions)
            )
        return preds

    def predict(self, face_crop_rgb: np.ndarray) -> ModelPrediction:
        """Predict on one RGB uint8 face crop. Heads the model does not have, or whose held-out metrics do not
        beat their baseline (``ml.model_gate``), give None / []."""
        return self.predict_many([face_crop_rgb])[0]
