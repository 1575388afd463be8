"""The network: a timm backbone (no downloaded weights) with optional heads."""

from __future__ import annotations

import ml.compat  # noqa: F401  (must precede timm: registers torchvision::nms, sets HF_HUB_OFFLINE)

# isort: split

import timm
import torch
from torch import nn


class SkinNet(nn.Module):
    """Backbone features -> heads: ``skin_type`` (classes), ``age`` (regression), ``condition`` (classes).

    A head exists only when the training data had labels for it; an absent head predicts nothing.
    """

    def __init__(self, backbone: str, n_skin_types: int, has_age: bool, n_conditions: int) -> None:
        super().__init__()
        self.backbone = timm.create_model(backbone, pretrained=False, num_classes=0)
        width = int(getattr(self.backbone, "num_features"))  # noqa: B009
        self.heads = nn.ModuleDict()
        if n_skin_types > 0:
            self.heads["skin_type"] = nn.Linear(width, n_skin_types)
        if has_age:
            self.heads["age"] = nn.Linear(width, 1)
        if n_conditions > 0:
            self.heads["condition"] = nn.Linear(width, n_conditions)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        feats = self.backbone(x)
        return {name: head(feats) for name, head in self.heads.items()}
