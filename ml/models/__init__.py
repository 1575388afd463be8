"""Learned models: a timm backbone with skin-type, skin-age and condition heads.

    Predictor.load(path, device=None) -> Predictor      # cuda when available
    Predictor.predict(face_crop_rgb) -> ModelPrediction
    train(data_dir=..., out_path=..., backbone="resnet18", ...) -> dict

Importing this package imports torch and timm (with the ``ml.compat`` shim first); the vision engine
does not, so web processes never load torch.
"""

from __future__ import annotations

import ml.compat  # noqa: F401  (before timm/torchvision)

# isort: split

from ml.models.predictor import Predictor, read_checkpoint
from ml.models.training import train

__all__ = ["Predictor", "read_checkpoint", "train"]
