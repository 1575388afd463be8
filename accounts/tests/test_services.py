"""Services and the cache-based protections, without HTTP."""

from __future__ import annotations

import pytest
import time_machine
from django.test import override_settings

from accounts import security, services
from accounts.models import Profile
from skincare.core.errors import DomainError, Throttled

pytestmark = pytest.mark.django_db


@override_settings(LOGIN_LOCKOUT_ATTEMPTS=3, LOGIN_LOCKOUT_SECONDS=120)
def test_lockout_counts_per_account_and_ip_and_expires():
    with time_machine.travel("2026-05-01 08:00:00+00:00", tick=False) as traveller:
        for _ in range(2):
            security.lockout_register_failure(email="A@example.com", ip="1.1.1.1")
        security.lockout_check(email="a@example.com", ip="1.1.1.1")  # not yet
        security.lockout_register_failure(email="a@example.com", ip="1.1.1.1")
        with pytest.raises(Throttled) as excinfo:
            security.lockout_check(email="a@example.com", ip="1.1.1.1")
        assert excinfo.value.code == "account_locked"
        assert excinfo.value.headers["Retry-After"] == "120"
        security.lockout_check(email="a@example.com", ip="2.2.2.2")
        security.lockout_check(email="b@example.com", ip="1.1.1.1")
        traveller.shift(60)
        with pytest.raises(Throttled) as excinfo:
            security.lockout_check(email="a@example.com", ip="1.1.1.1")
        assert excinfo.value.headers["Retry-After"] == "60"
        traveller.shift(61)
        security.lockout_check(email="a@example.com", ip="1.1.1.1")


def test_profile_update_validates_with_the_model(user):
    with pytest.raises(DomainError) as excinfo:
        services.profile_update(user=user, data={"timezone": "Nowhere/City"})
    assert excinfo.value.code == "validation_error"
    assert "timezone" in excinfo.value.errors
    assert Profile.objects.get(user=user).timezone == "UTC"


def test_user_tokens_revoke_all_is_idempotent(user):
    services.tokens_for_user(user)
    services.tokens_for_user(user)
    assert services.user_tokens_revoke_all(user=user) == 2
    assert services.user_tokens_revoke_all(user=user) == 0


def test_sms_backends(capsys, settings):
    from accounts import sms

    sms.outbox.clear()
    sms.send_sms(to="+33600000000", body="hello")
    assert [m.body for m in sms.outbox] == ["hello"]
    settings.SMS_BACKEND = "accounts.sms.ConsoleSmsBackend"
    sms.send_sms(to="+33600000000", body="on the console")
    assert "on the console" in capsys.readouterr().out
    sms.outbox.clear()


def test_housekeeping_purges_expired_otp_codes_and_tokens(user):
    from datetime import timedelta

    from django.utils import timezone
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

    from accounts import tasks
    from accounts.models import OtpCode

    now = timezone.now()
    OtpCode.objects.create(phone="+33600000001", code_hash="x", expires_at=now - timedelta(hours=2))
    fresh = OtpCode.objects.create(phone="+33600000002", code_hash="y", expires_at=now + timedelta(minutes=5))
    assert tasks.purge_expired_otp_codes.delay().get() == 1
    assert list(OtpCode.objects.values_list("pk", flat=True)) == [fresh.pk]

    services.tokens_for_user(user)
    old = OutstandingToken.objects.create(user=user, jti="old", token="t", expires_at=now - timedelta(days=1))
    BlacklistedToken.objects.create(token=old)
    assert tasks.flush_expired_tokens.delay().get() == 1
    assert OutstandingToken.objects.filter(user=user).count() == 1
    assert tasks.flush_expired_tokens.delay().get() == 0  # idempotent


def test_periodic_schedule_names_real_tasks():
    from celery import current_app

    from accounts.periodic import SCHEDULE

    for spec in SCHEDULE.values():
        assert spec["task"] in current_app.tasks
