"""The original mobile client's twelve journeys (SEED_CLIENT.md), replayed in order over plain HTTP (JSON bodies,
no cookies) against a real ASGI server (uvicorn) with a real Celery worker analysing the selfie of J3."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pytest

from analysis.models import SkinAnalysis
from analysis.tests import images
from consultations import services as consultation_services
from consultations.models import Consultation
from consultations.tests.factories import dermatologist
from skincare.seed_api import replay

pytestmark = [pytest.mark.live, pytest.mark.timeout(300)]


@pytest.fixture
def seed_server(live_asgi):
    # The first analysis in a fresh worker loads its models: give it time on a busy machine.
    return f"http://127.0.0.1:{live_asgi(SEED_ANALYZE_WAIT_SECONDS='120', THROTTLE_LOGIN='100/min')}"


def test_the_twelve_journeys_pass_in_order(seed_server, live_worker):
    # Given a dermatologist with free slots in two days
    derm = dermatologist(tz="UTC")
    day = dt.date.today() + dt.timedelta(days=2)
    consultation_services.slots_publish(
        dermatologist=derm,
        start_date=day,
        end_date=day,
        weekdays=[day.weekday()],
        day_start=dt.time(10),
        day_end=dt.time(12),
        minutes=30,
    )
    # When the client replays its test, with a real selfie in J3 as well as the face-less PNG
    face = base64.b64encode(images.face_jpeg()).decode()
    journeys = replay.run(seed_server, slot_date=day, face_image_b64=face)
    # Then every journey passes
    assert all(j.passed for j in journeys), (
        replay.summary(journeys) + "\n" + Path(live_worker.log_path).read_text()[-3000:]
    )
    assert [j.name.split()[0] for j in journeys] == [f"J{i}" for i in range(1, 13)]
    # And the selfie became an ordinary analysis, analysed by the worker process; the booking is a consultation
    analysis = SkinAnalysis.objects.get()
    assert analysis.status == "done" and analysis.concerns and analysis.overall_score is not None
    assert "run_analysis" in Path(live_worker.log_path).read_text()
    assert Consultation.objects.get().dermatologist == derm
