import re

import pytest
from rest_framework.throttling import SimpleRateThrottle


@pytest.fixture
def relaxed_throttles(monkeypatch):
    """Raise the scoped rates (the class keeps its own dict) for tests that make many calls."""
    for scope in ("login", "otp", "password_reset"):
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, "1000/min")


def link_parts(body: str) -> tuple[str, str]:
    uid = re.search(r"uid: (\S+)", body).group(1)
    token = re.search(r"token: (\S+)", body).group(1)
    return uid, token


@pytest.fixture
def sms_outbox():
    from accounts import sms

    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
