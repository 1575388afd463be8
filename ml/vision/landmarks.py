"""Face landmarks (MediaPipe FaceMesh) and a Haar-cascade second opinion on the face count.

One FaceMesh graph is created per process, lazily, and shared behind a lock: MediaPipe graphs are not
safe to call from several threads at once.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

# Ordered outline of the face (MediaPipe FACEMESH_FACE_OVAL walked as a loop).
FACE_OVAL = [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148,
             176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109]  # fmt: skip
# "Right"/"left" are the person's own sides (image left = person's right on a non-mirrored photo).
RIGHT_EYE = [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246]
LEFT_EYE = [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466]
RIGHT_EYE_LOWER = [33, 7, 163, 144, 145, 153, 154, 155, 133]
LEFT_EYE_LOWER = [263, 249, 390, 373, 374, 380, 381, 382, 362]
RIGHT_BROW = [70, 63, 105, 66, 107, 55, 65, 52, 53, 46]
LEFT_BROW = [300, 293, 334, 296, 336, 285, 295, 282, 283, 276]
LIPS = [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185]
RIGHT_IRIS_CENTER = 468
LEFT_IRIS_CENTER = 473
NOSE_TIP = 1
NOSE_BRIDGE = 6
BETWEEN_BROWS = 168
SUBNASALE = 2
RIGHT_ALAR = 98
LEFT_ALAR = 327
RIGHT_EYE_OUTER, RIGHT_EYE_INNER = 33, 133
LEFT_EYE_OUTER, LEFT_EYE_INNER = 263, 362
RIGHT_MOUTH, LEFT_MOUTH = 61, 291
LOWER_LIP_BOTTOM = 17
CHIN = 152
FOREHEAD_TOP = 10
RIGHT_FACE_EDGE, LEFT_FACE_EDGE = 234, 454

PUPIL_DISTANCE_MM = 63.0  # adult average inter-pupil distance

_lock = threading.Lock()
_haar_lock = threading.Lock()
_hands_lock = threading.Lock()
_mesh: Any = None
_hands: Any = None
HANDS_MAX_SIDE = 640  # hands are looked for on a copy at most this many pixels wide (5-10 ms)
_cascade: cv2.CascadeClassifier | None = None


@dataclass
class FaceLandmarks:
    points: np.ndarray  # (N, 2) float image pixels, N = 478 with iris points
    depth: np.ndarray  # (N,) MediaPipe relative depth, in image-width pixels (smaller = nearer the camera)

    @property
    def box(self) -> tuple[int, int, int, int]:
        oval = self.points[FACE_OVAL]
        x0, y0 = np.floor(oval.min(axis=0))
        x1, y1 = np.ceil(oval.max(axis=0))
        return int(x0), int(y0), int(x1 - x0), int(y1 - y0)

    def pupils(self) -> tuple[np.ndarray, np.ndarray]:
        """(right pupil, left pupil) in pixels; eye-corner midpoints when iris points are missing."""
        if len(self.points) > LEFT_IRIS_CENTER:
            return self.points[RIGHT_IRIS_CENTER], self.points[LEFT_IRIS_CENTER]
        right = (self.points[RIGHT_EYE_OUTER] + self.points[RIGHT_EYE_INNER]) / 2
        left = (self.points[LEFT_EYE_OUTER] + self.points[LEFT_EYE_INNER]) / 2
        return right, left

    def pupil_distance(self) -> float:
        right, left = self.pupils()
        return float(np.linalg.norm(left - right))

    def mm_per_pixel(self) -> float:
        return PUPIL_DISTANCE_MM / max(self.pupil_distance(), 1e-6)

    def yaw_degrees(self) -> float:
        return estimate_yaw(self.points, self.depth)


def estimate_yaw(points: np.ndarray, depth: np.ndarray) -> float:
    """Head yaw in degrees (0 = frontal, sign dropped) from the nose tip against the outer eye corners.

    In-plane roll is removed first (the eye line is turned level). Then two estimates from the same
    3-D landmarks are averaged: the nose tip's sideways offset from the eye-corner midpoint against its
    depth in front of them, ``atan2(dx, -dz)``, and the eye-corner line's tilt in depth, ``atan2(dz, dx)``.
    For a head turned by an angle t both equal t, for a frontal face both are 0.
    """
    p3 = np.column_stack([points[:, 0], points[:, 1], depth]).astype(np.float64)
    right, left, nose = p3[RIGHT_EYE_OUTER], p3[LEFT_EYE_OUTER], p3[NOSE_TIP]
    axis = left - right
    roll = math.atan2(axis[1], axis[0])
    c, s = math.cos(-roll), math.sin(-roll)

    def level(v: np.ndarray) -> tuple[float, float, float]:
        return (v[0] * c - v[1] * s, v[0] * s + v[1] * c, v[2])

    ax, _, az = level(axis)
    ox, _, oz = level(nose - (right + left) / 2)
    yaw_line = math.degrees(math.atan2(az, ax))
    yaw_nose = math.degrees(math.atan2(ox, max(-oz, 1e-6)))
    return float(abs((yaw_line + yaw_nose) / 2))


def _get_mesh() -> Any:
    global _mesh
    if _mesh is None:
        import mediapipe as mp

        _mesh = mp.solutions.face_mesh.FaceMesh(
            static_image_mode=True, max_num_faces=2, refine_landmarks=True, min_detection_confidence=0.5
        )
    return _mesh


def detect_faces(image: np.ndarray) -> list[FaceLandmarks]:
    """All faces FaceMesh finds (at most two), biggest first. ``image`` is RGB uint8."""
    h, w = image.shape[:2]
    with _lock:
        result = _get_mesh().process(np.ascontiguousarray(image))
    faces: list[FaceLandmarks] = []
    for face in result.multi_face_landmarks or []:
        arr = np.array([(p.x * w, p.y * h, p.z * w) for p in face.landmark], dtype=np.float64)
        faces.append(FaceLandmarks(points=arr[:, :2].copy(), depth=arr[:, 2].copy()))
    faces.sort(key=lambda f: -f.box[2] * f.box[3])
    return faces


def haar_faces(image: np.ndarray, min_width: int = 0) -> list[tuple[int, int, int, int]]:
    """Frontal faces by OpenCV's Haar cascade (a second opinion on how many faces there are).

    ``min_width`` (image pixels) skips smaller faces, which also makes the search much faster.
    """
    global _cascade
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    scale = 1.0
    # Faces at least min_width wide stay >= 32 px after shrinking; never search more than 800 px.
    target = 800.0 if min_width <= 0 else min(800.0, max(grey.shape) * 32.0 / max(min_width, 1))
    if max(grey.shape) > target:
        scale = target / max(grey.shape)
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    min_side = max(28, int(min_width * scale))
    with _haar_lock:  # one classifier per process; OpenCV does not promise it is thread-safe
        if _cascade is None:
            _cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")  # type: ignore[attr-defined]
        found = _cascade.detectMultiScale(grey, scaleFactor=1.15, minNeighbors=6, minSize=(min_side, min_side))
    boxes = [tuple(int(round(v / scale)) for v in box) for box in (found if len(found) else [])]
    return [(b[0], b[1], b[2], b[3]) for b in boxes]


def _get_hands() -> Any:
    global _hands
    if _hands is None:
        import mediapipe as mp

        _hands = mp.solutions.hands.Hands(
            static_image_mode=True, max_num_hands=2, model_complexity=0, min_detection_confidence=0.4
        )
    return _hands


def find_hands(image: np.ndarray) -> list[np.ndarray]:
    """Hands in the photo (MediaPipe Hands, whose palm detector and landmark model ship in the wheel):
    one (21, 2) array of image pixels per hand, at most two. Hands on the face are not skin to score."""
    h, w = image.shape[:2]
    s = min(1.0, HANDS_MAX_SIDE / max(h, w))
    small = cv2.resize(image, None, fx=s, fy=s, interpolation=cv2.INTER_AREA) if s < 1 else image
    with _hands_lock:
        result = _get_hands().process(np.ascontiguousarray(small))
    return [
        np.array([(p.x * w, p.y * h) for p in hand.landmark], dtype=np.float64)
        for hand in (result.multi_hand_landmarks or [])
    ]


EYE_AND_FEATURE_HULLS: list[list[int]] = [RIGHT_EYE, LEFT_EYE, RIGHT_BROW, LEFT_BROW, LIPS]


def find_faces(image: np.ndarray) -> list[FaceLandmarks]:
    """FaceMesh on the whole image; when it finds nothing, FaceMesh again on each Haar face crop.

    MediaPipe's detector is tuned for selfies (faces near the camera). A face far away is missed by
    it but found by the Haar cascade; meshing a crop around that box recovers its landmarks, so the
    gate can say "face too small" instead of "no face".
    """
    faces = detect_faces(image)
    if faces:
        return faces
    H, W = image.shape[:2]
    for x, y, w, h in haar_faces(image)[:2]:
        cx, cy, side = x + w / 2, y + h / 2, 2.2 * max(w, h)
        x0, y0 = int(max(cx - side / 2, 0)), int(max(cy - side / 2, 0))
        x1, y1 = int(min(cx + side / 2, W)), int(min(cy + side / 2, H))
        crop = image[y0:y1, x0:x1]
        for face in detect_faces(crop)[:1]:
            face.points += np.array([x0, y0], dtype=np.float64)
            faces.append(face)
    faces.sort(key=lambda f: -f.box[2] * f.box[3])
    return faces
