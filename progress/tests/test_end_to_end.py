"""End to end: two photos logged through the API become analyses (the real ML engine, eager Celery),
and the comparison aligns them on the landmarks the engine found."""

import cv2
import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from progress import alignment
from progress.models import ProgressEntry

from .factories import astronaut, jpeg

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_logged_photos_are_analysed_and_aligned(auth_client, user, django_capture_on_commit_callbacks):
    before_img = astronaut()
    h, w = before_img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), 8, 0.92)
    m[:, 2] += (12, 6)
    after_img = cv2.warpAffine(before_img, m, (w, h), borderMode=cv2.BORDER_REFLECT)
    ids = []
    for img in (before_img, after_img):
        with django_capture_on_commit_callbacks(execute=True):
            r = auth_client.post(
                "/api/v1/progress/log",
                {"photo": SimpleUploadedFile("p.jpg", jpeg(img), content_type="image/jpeg")},
                format="multipart",
            )
        assert r.status_code == 201, r.json()
        ids.append(r.json()["analysis"])
    entries = ProgressEntry.objects.filter(user=user).select_related("analysis")
    analyses = {str(e.analysis_id): e.analysis for e in entries}
    for analysis in analyses.values():
        assert analysis.status == "done", (analysis.error_code, analysis.error_detail)
        assert len(analysis.landmarks) >= 468
    # The engine's landmarks of the after photo are the before photo's moved by the known transform
    before, after = analyses[ids[0]], analyses[ids[1]]
    idx = list(alignment.STABLE_LANDMARKS)
    expected = alignment.apply_transform(m, np.asarray(before.landmarks)[idx])
    assert np.sqrt((np.linalg.norm(expected - np.asarray(after.landmarks)[idx], axis=1) ** 2).mean()) < 3
    # When compared
    body = auth_client.get(f"/api/v1/progress/compare?before={ids[0]}&after={ids[1]}").json()
    # Then the after photo is aligned onto the before one within a few pixels
    assert body["alignment"]["ok"], body["alignment"]
    assert body["alignment"]["residual_px"] < 3
    assert body["alignment"]["landmarks_used"] == len(idx)
    assert {d["key"] for d in body["concerns"]} >= {"acne", "redness", "wrinkles"}
    timeline = auth_client.get("/api/v1/progress/timeline").json()
    assert all(row["scores"] and row["scores"]["source"] == "entry" for row in timeline["results"])
