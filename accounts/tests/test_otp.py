"""OTP phone sign-in: hashed codes, 5-minute expiry, 5 attempts, resend cooldown, per-phone/IP limits."""

from __future__ import annotations

import re

import pytest
import time_machine

from accounts import security
from accounts.models import OtpCode

pytestmark = pytest.mark.django_db

PHONE = "+33612345678"
START = "2026-03-01 10:00:00+00:00"


@pytest.fixture
def phone_user(user):
    user.phone = PHONE
    user.save(update_fields=["phone"])
    return user


def request_code(client, phone=PHONE, **extra):
    return client.post("/api/v1/auth/otp/request", {"phone": phone}, format="json", **extra)


def verify(client, code, phone=PHONE):
    return client.post("/api/v1/auth/otp/verify", {"phone": phone, "code": code}, format="json")


def last_code(outbox) -> str:
    return re.search(r"\b(\d{6})\b", outbox[-1].body).group(1)


def test_request_sends_a_code_and_stores_only_its_hash(api_client, phone_user, sms_outbox):
    response = request_code(api_client, phone="+33 6 12 34 56 78")
    assert response.status_code == 202
    assert len(sms_outbox) == 1 and sms_outbox[0].to == PHONE
    code = last_code(sms_outbox)
    row = OtpCode.objects.get(phone=PHONE)
    assert code not in row.code_hash
    assert len(row.code_hash) == 64
    assert (row.expires_at - row.created_at).total_seconds() == 300


def test_verify_signs_in_once(api_client, phone_user, sms_outbox, relaxed_throttles):
    request_code(api_client)
    code = last_code(sms_outbox)
    response = verify(api_client, code)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"user", "access", "refresh"}
    assert body["user"]["id"] == str(phone_user.id)
    reused = verify(api_client, code)
    assert reused.status_code == 400
    assert reused.json()["code"] == "invalid_code"


def test_unknown_number_gets_the_same_answer_and_no_sms(api_client, sms_outbox, relaxed_throttles):
    response = request_code(api_client, phone="+447700900123")
    assert response.status_code == 202
    assert sms_outbox == []
    assert verify(api_client, "123456", phone="+447700900123").json()["code"] == "invalid_code"


def test_bad_phone_and_bad_code_format_400(api_client, relaxed_throttles):
    response = request_code(api_client, phone="call me")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_phone"
    response = verify(api_client, "12ab")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert api_client.post("/api/v1/auth/otp/request", {}, format="json").json()["code"] == "validation_error"


def test_code_expires_after_five_minutes(api_client, phone_user, sms_outbox, relaxed_throttles):
    with time_machine.travel(START, tick=False) as traveller:
        request_code(api_client)
        code = last_code(sms_outbox)
        traveller.shift(301)
        response = verify(api_client, code)
    assert response.status_code == 400
    assert response.json()["code"] == "code_expired"


def test_code_still_valid_just_before_expiry(api_client, phone_user, sms_outbox, relaxed_throttles):
    with time_machine.travel(START, tick=False) as traveller:
        request_code(api_client)
        traveller.shift(299)
        assert verify(api_client, last_code(sms_outbox)).status_code == 200


def test_five_wrong_attempts_kill_the_code(api_client, phone_user, sms_outbox, relaxed_throttles):
    request_code(api_client)
    code = last_code(sms_outbox)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    codes = [verify(api_client, wrong).json()["code"] for _ in range(5)]
    assert codes == ["invalid_code"] * 4 + ["otp_attempts_exceeded"]
    # Even the right code is refused now.
    response = verify(api_client, code)
    assert response.status_code == 400
    assert response.json()["code"] == "otp_attempts_exceeded"
    assert OtpCode.objects.get(phone=PHONE).attempts == 5


def test_resend_cooldown_then_new_code_replaces_old(api_client, phone_user, sms_outbox, relaxed_throttles):
    with time_machine.travel(START, tick=False) as traveller:
        request_code(api_client)
        first = last_code(sms_outbox)
        response = request_code(api_client)
        assert response.status_code == 429
        assert response.json()["code"] == "otp_cooldown"
        assert 0 < int(response["Retry-After"]) <= security.OTP_RESEND_COOLDOWN
        traveller.shift(security.OTP_RESEND_COOLDOWN + 1)
        assert request_code(api_client).status_code == 202
        second = last_code(sms_outbox)
        if first != second:
            assert verify(api_client, first).json()["code"] in {"invalid_code", "code_expired"}
        assert verify(api_client, second).status_code == 200


def test_per_phone_hourly_limit(api_client, phone_user, sms_outbox, relaxed_throttles):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(security.OTP_MAX_PER_PHONE_PER_HOUR):
            assert request_code(api_client).status_code == 202
            traveller.shift(security.OTP_RESEND_COOLDOWN + 1)
        response = request_code(api_client, REMOTE_ADDR="10.1.1.1")
        assert response.status_code == 429
        assert response.json()["code"] == "otp_phone_limit"
        assert int(response["Retry-After"]) > 0
        traveller.shift(3600)
        assert request_code(api_client).status_code == 202
    assert len(sms_outbox) == security.OTP_MAX_PER_PHONE_PER_HOUR + 1


def test_per_ip_hourly_limit(api_client, relaxed_throttles, monkeypatch):
    monkeypatch.setattr(security, "OTP_MAX_PER_IP_PER_HOUR", 3)
    with time_machine.travel(START, tick=False):
        for i in range(3):
            assert request_code(api_client, phone=f"+4477009001{i:02d}").status_code == 202
        response = request_code(api_client, phone="+447700900199")
        assert response.status_code == 429
        assert response.json()["code"] == "otp_ip_limit"
        # Another address is not limited.
        assert request_code(api_client, phone="+447700900199", REMOTE_ADDR="10.2.2.2").status_code == 202


def test_otp_scope_throttle_answers_429_with_retry_after(api_client):
    from rest_framework.throttling import SimpleRateThrottle

    limit = int(SimpleRateThrottle.THROTTLE_RATES["otp"].split("/")[0])
    for i in range(limit):
        verify(api_client, "000000", phone=f"+4477009002{i:02d}")
    response = verify(api_client, "000000")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
