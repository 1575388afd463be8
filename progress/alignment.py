"""Before/after alignment on face landmarks: the "after" photo is warped onto the "before" frame.

Pure numpy + OpenCV, no Django. A similarity transform (rotation, uniform scale, translation: 4 degrees
of freedom) is estimated from the after → before positions of landmarks that do not move with
expression (eye corners, nose bridge and tip, forehead, chin, face sides) with
`cv2.estimateAffinePartial2D` (LMedS, robust to a few bad points, then Levenberg-Marquardt refinement),
and applied with `cv2.warpAffine`. Full affine or perspective fits are avoided on purpose: they would
also "correct" real changes of the face's shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

# MediaPipe FaceMesh indices (468 or 478 points) that stay put when the expression changes.
STABLE_LANDMARKS: tuple[int, ...] = (
    33,  # right eye, outer corner
    133,  # right eye, inner corner
    362,  # left eye, inner corner
    263,  # left eye, outer corner
    168,  # nose bridge, between the eyes
    6,  # nose bridge
    197,  # nose bridge
    195,  # nose bridge
    5,  # nose, above the tip
    4,  # nose tip
    1,  # nose tip
    10,  # forehead, top of the face
    151,  # forehead
    152,  # chin
    234,  # right face side
    454,  # left face side
    127,  # right temple
    356,  # left temple
)
FACEMESH_POINTS = 468
MIN_POINTS = 3


class AlignmentError(ValueError):
    """The photos cannot be aligned (too few landmarks, degenerate geometry)."""


@dataclass
class Alignment:
    matrix: np.ndarray  # 2x3, maps after-image pixels to before-image pixels
    residual_px: float  # RMS distance of the stable landmarks after alignment, in before-image pixels
    max_error_px: float
    points_used: int
    inliers: int
    scale: float
    rotation_deg: float

    def as_dict(self) -> dict:
        return {
            "matrix": [[round(float(v), 6) for v in row] for row in self.matrix],
            "residual_px": round(self.residual_px, 3),
            "max_error_px": round(self.max_error_px, 3),
            "points_used": self.points_used,
            "inliers": self.inliers,
            "scale": round(self.scale, 4),
            "rotation_deg": round(self.rotation_deg, 3),
        }


def stable_points(landmarks: Sequence[Sequence[float]]) -> np.ndarray:
    """The stable subset of a FaceMesh landmark list, or every point of a shorter list."""
    pts = np.asarray(landmarks, dtype=np.float64).reshape(-1, 2)
    if len(pts) >= FACEMESH_POINTS:
        return pts[list(STABLE_LANDMARKS)]
    return pts


def apply_transform(matrix: np.ndarray, points: Sequence[Sequence[float]]) -> np.ndarray:
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    m = np.asarray(matrix, dtype=np.float64)
    return pts @ m[:, :2].T + m[:, 2]


def estimate_alignment(
    after_landmarks: Sequence[Sequence[float]], before_landmarks: Sequence[Sequence[float]]
) -> Alignment:
    """The similarity transform that maps the after photo's landmarks onto the before photo's."""
    src = stable_points(after_landmarks)
    dst = stable_points(before_landmarks)
    if len(src) != len(dst):
        raise AlignmentError("The two photos have different landmark sets.")
    finite = np.isfinite(src).all(axis=1) & np.isfinite(dst).all(axis=1)
    src, dst = src[finite], dst[finite]
    if len(src) < MIN_POINTS:
        raise AlignmentError(f"At least {MIN_POINTS} landmarks are needed to align two photos.")
    if np.ptp(src, axis=0).max() < 1 or np.ptp(dst, axis=0).max() < 1:
        raise AlignmentError("The landmarks are degenerate (all at one point).")
    matrix, inliers = cv2.estimateAffinePartial2D(
        src.astype(np.float32), dst.astype(np.float32), method=cv2.LMEDS, refineIters=20
    )
    if matrix is None:
        raise AlignmentError("No transform fits these landmarks.")
    moved = apply_transform(matrix, src)
    errors = np.linalg.norm(moved - dst, axis=1)
    a, b = matrix[0, 0], matrix[1, 0]
    return Alignment(
        matrix=matrix,
        residual_px=float(np.sqrt(np.mean(errors**2))),
        max_error_px=float(errors.max()),
        points_used=len(src),
        inliers=int(inliers.sum()) if inliers is not None else len(src),
        scale=float(np.hypot(a, b)),
        rotation_deg=float(np.degrees(np.arctan2(b, a))),
    )


def warp_to(image: np.ndarray, matrix: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Warp `image` with a 2x3 matrix into a canvas of `size` = (width, height); outside is black."""
    width, height = size
    return cv2.warpAffine(
        image,
        np.asarray(matrix, dtype=np.float64),
        (int(width), int(height)),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=0,
    )


def align_images(
    after_image: np.ndarray,
    after_landmarks: Sequence[Sequence[float]],
    before_landmarks: Sequence[Sequence[float]],
    before_size: tuple[int, int],
) -> tuple[np.ndarray, Alignment]:
    """The after photo warped onto the before photo's frame (`before_size` = (width, height))."""
    alignment = estimate_alignment(after_landmarks, before_landmarks)
    return warp_to(after_image, alignment.matrix, before_size), alignment
