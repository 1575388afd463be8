"""Import shims that must run before ``timm`` (and so ``torchvision``) is imported.

Why: the torchvision 0.28 wheel installed here ships compiled ops (``torchvision._C``) built for a
different torch build than our CPU-only torch 2.13, so its ``_C`` library does not load. torchvision
then imports ``torchvision/_meta_registrations.py``, which calls
``torch.library.register_fake("torchvision::nms")`` unconditionally and crashes with
``RuntimeError: operator torchvision::nms does not exist`` -- and timm imports torchvision at import time.

Fix: when the operator is missing, define the ``torchvision::nms`` and ``torchvision::qnms`` schemas
ourselves with a small pure-torch non-maximum suppression as their CPU/CUDA kernel. torchvision's fake
(meta) registration then finds the operator and the import succeeds; the classification models we use
never call NMS, but if anything does it gets a correct (slower) answer instead of a crash.

Also sets ``HF_HUB_OFFLINE=1``: we never download weights (``pretrained=False`` or a local checkpoint).
Import this module before ``timm`` or ``torchvision`` everywhere: ``import ml.compat  # noqa: F401``.
"""

from __future__ import annotations

import os

import torch

os.environ.setdefault("HF_HUB_OFFLINE", "1")

_LIB: torch.library.Library | None = None  # kept alive: the registrations last as long as this object


def nms_reference(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    """Greedy NMS over (x1, y1, x2, y2) boxes; indices kept, by decreasing score (torchvision's contract)."""
    if boxes.numel() == 0:
        return torch.empty((0,), dtype=torch.long, device=boxes.device)
    x1, y1, x2, y2 = boxes.float().unbind(dim=1)
    areas = (x2 - x1).clamp(min=0) * (y2 - y1).clamp(min=0)
    order = torch.argsort(scores, descending=True, stable=True)
    suppressed = torch.zeros(boxes.shape[0], dtype=torch.bool, device=boxes.device)
    keep: list[int] = []
    for idx in order.tolist():
        if suppressed[idx]:
            continue
        keep.append(idx)
        xx1 = torch.maximum(x1[idx], x1)
        yy1 = torch.maximum(y1[idx], y1)
        xx2 = torch.minimum(x2[idx], x2)
        yy2 = torch.minimum(y2[idx], y2)
        inter = (xx2 - xx1).clamp(min=0) * (yy2 - yy1).clamp(min=0)
        iou = inter / (areas[idx] + areas - inter).clamp(min=1e-12)
        suppressed |= iou > iou_threshold
    return torch.tensor(keep, dtype=torch.long, device=boxes.device)


def _op_exists(name: str) -> bool:
    try:
        return torch._C._dispatch_has_kernel(f"torchvision::{name}") or bool(
            torch._C._dispatch_find_schema_or_throw(f"torchvision::{name}", "")
        )
    except Exception:
        return False


def install() -> None:
    """Register the missing torchvision ops once per process (a no-op when torchvision's own load)."""
    global _LIB
    if _LIB is not None or _op_exists("nms"):
        return
    lib = torch.library.Library("torchvision", "DEF")  # noqa: TOR901
    lib.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    lib.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    for key in ("CPU", "CUDA"):
        lib.impl("nms", nms_reference, key)
        lib.impl("qnms", lambda d, s, t: nms_reference(d.dequantize(), s.dequantize(), t), key)
    _LIB = lib


install()
