"""Alignment puts the landmarks of a before and an after photo within a few pixels of each other."""

import cv2
import numpy as np
import pytest
from skimage import data

from progress import alignment


def _known_affine(width: int, height: int, angle: float = 12.0, scale: float = 0.85, shift=(25.0, -18.0)):
    m = cv2.getRotationMatrix2D((width / 2, height / 2), angle, scale)
    m[:, 2] += shift
    return m


def _synthetic_landmarks(seed: int = 7) -> np.ndarray:
    """478 points spread over the astronaut's face area (a stand-in for FaceMesh output)."""
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(160, 290, 478), rng.uniform(60, 200, 478)])


def test_alignment_recovers_a_known_similarity_transform():
    before = data.astronaut()
    h, w = before.shape[:2]
    m = _known_affine(w, h)
    # Given an "after" photo made by rotating/scaling/translating the before photo, and its landmarks moved the same way
    after = cv2.warpAffine(before, m, (w, h))
    before_lm = _synthetic_landmarks()
    after_lm = alignment.apply_transform(m, before_lm)
    # When aligned
    aligned, result = alignment.align_images(after, after_lm, before_lm, (w, h))
    # Then every landmark of the after photo lands within 3 px of the before photo's
    moved = alignment.apply_transform(result.matrix, after_lm)
    assert np.linalg.norm(moved - before_lm, axis=1).max() < 3
    assert result.residual_px < 3
    assert result.scale == pytest.approx(1 / 0.85, rel=1e-3)
    assert abs(result.rotation_deg) == pytest.approx(12.0, abs=0.05)  # undoes the 12° turn
    assert result.points_used == len(alignment.STABLE_LANDMARKS)
    # And the pixels line up too: the aligned face matches the before face far better than the raw after photo
    face = (slice(80, 200), slice(170, 290))
    err_aligned = np.abs(aligned[face].astype(float) - before[face].astype(float)).mean()
    err_raw = np.abs(after[face].astype(float) - before[face].astype(float)).mean()
    assert err_aligned < 8
    assert err_raw > 3 * err_aligned


def test_alignment_ignores_a_few_wrong_landmarks():
    before_lm = _synthetic_landmarks(3)
    m = _known_affine(512, 512, angle=-8, scale=1.1, shift=(-10, 30))
    after_lm = alignment.apply_transform(m, before_lm)
    # two stable points badly misplaced (e.g. an occluded chin and temple)
    after_lm[152] += (40, 35)
    after_lm[127] += (-30, 20)
    result = alignment.estimate_alignment(after_lm, before_lm)
    good = [i for i in alignment.STABLE_LANDMARKS if i not in (152, 127)]
    moved = alignment.apply_transform(result.matrix, after_lm[good])
    assert np.linalg.norm(moved - before_lm[good], axis=1).max() < 1
    assert result.inliers <= len(alignment.STABLE_LANDMARKS) - 2


def test_alignment_refuses_degenerate_input():
    with pytest.raises(alignment.AlignmentError):
        alignment.estimate_alignment([[1, 1], [2, 2]], [[1, 1], [2, 2]])
    with pytest.raises(alignment.AlignmentError):
        alignment.estimate_alignment([[5, 5]] * 10, [[5, 5]] * 10)
    with pytest.raises(alignment.AlignmentError):
        alignment.estimate_alignment(_synthetic_landmarks(), _synthetic_landmarks()[:20])


def _real_landmarks(image: np.ndarray) -> np.ndarray | None:
    """FaceMesh landmarks from the ML engine when it is installed, else MediaPipe directly."""
    try:
        from ml.vision.landmarks import detect_faces

        faces = detect_faces(image)
        return faces[0].points if faces else None
    except ImportError:
        import mediapipe as mp

        h, w = image.shape[:2]
        with mp.solutions.face_mesh.FaceMesh(static_image_mode=True, max_num_faces=1, refine_landmarks=True) as fm:
            result = fm.process(np.ascontiguousarray(image))
        if not result.multi_face_landmarks:
            return None
        return np.array([(p.x * w, p.y * h) for p in result.multi_face_landmarks[0].landmark])


@pytest.mark.slow
def test_alignment_with_real_facemesh_landmarks():
    before = data.astronaut()
    h, w = before.shape[:2]
    m = _known_affine(w, h, angle=10, scale=0.9, shift=(20, 10))
    after = cv2.warpAffine(before, m, (w, h), borderMode=cv2.BORDER_REFLECT)
    # Given landmarks detected independently on both photos
    before_lm = _real_landmarks(before)
    after_lm = _real_landmarks(after)
    assert before_lm is not None and after_lm is not None
    # When aligned on them
    aligned, result = alignment.align_images(after, after_lm, before_lm, (w, h))
    # Then the stable landmarks of both photos agree within 3 px (RMS), and the aligned photo's own
    # re-detected landmarks sit where the before photo's are
    assert result.residual_px < 3
    realigned = _real_landmarks(aligned)
    assert realigned is not None
    idx = list(alignment.STABLE_LANDMARKS)
    assert np.sqrt((np.linalg.norm(realigned[idx] - before_lm[idx], axis=1) ** 2).mean()) < 3
