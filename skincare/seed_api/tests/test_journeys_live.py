"""The original mobile client's twelve journeys (SEED_CLIENT.md), replayed in order over plain HTTP (JSON bodies,
no cookies) against a real ASGI server (uvicorn) with a real Celery worker analysing the selfie of J3."""

from __future__ import annotations

import base64
import datetime as dt
import time
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


def test_waiting_for_the_worker_holds_no_server_thread(live_asgi):
    # Given a server whose analyses nobody processes (no worker), waiting up to 4 s on /analysis/analyze
    import threading

    from rest_framework_simplejwt.tokens import AccessToken

    from accounts.tests.factories import UserFactory

    base = f"http://127.0.0.1:{live_asgi(SEED_ANALYZE_WAIT_SECONDS='4')}"
    user = UserFactory()
    waiting, other = replay.Client(base), replay.Client(base)
    waiting.token = other.token = str(AccessToken.for_user(user))
    finished: list[str] = []
    face = base64.b64encode(images.face_jpeg()).decode()

    def analyze():
        call = waiting.call("POST", "/analysis/analyze", {"image_data": face})
        finished.append(f"analyze {call.status}")

    thread = threading.Thread(target=analyze)
    thread.start()
    # When another request arrives while it waits (the same single uvicorn process)
    while not SkinAnalysis.objects.exists():  # the upload is stored: the view is now waiting for the worker
        time.sleep(0.05)
    me = other.call("GET", "/auth/me")
    finished.append(f"me {me.status}")
    thread.join(timeout=30)
    # Then it is answered at once, and the analysis answers 202 with where to follow it once the wait is over
    assert finished == ["me 200", "analyze 202"]
    assert SkinAnalysis.objects.get().status == "queued"
